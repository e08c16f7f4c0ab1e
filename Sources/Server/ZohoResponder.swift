import Engine
import Formats
import Foundation
import Hummingbird

/// Answers Zoho's REST calls. The path grammar (any API version, module-named segments) is the
/// engine's `Route.of` for every write, so the writes are not routed a second time here: a
/// write method under `/crm/` goes to the writer whatever its path, and the engine says whether
/// it models the call. This type checks the token, reads the body (any `Content-Type`, with a
/// size limit) and renders answers.
struct ZohoResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let configuration: ServerConfiguration
    let writer: Writer
    let reader: Reader
    let log: RequestLog?
    /// `--upstream`: Zoho's calls go to the real data centre instead.
    var proxy: UpstreamProxy?

    func respond(to request: Request, context: Context) async throws -> Response {
        if WebPages.serves(request.uri.path) { return await WebPages(configuration: configuration).respond(to: request) }
        if let proxy, let forwarded = await proxy.respond(to: request) { return forwarded }
        let answer: ServerAnswer
        do {
            answer = try await self.answer(request)
        } catch {
            // Never a crash and never a silent 200: whatever escaped is Zoho's INTERNAL_ERROR.
            answer = .error(500, .internalError, message: "internal error", details: ["replica": .string("\(error)")])
        }
        return Self.render(answer)
    }

    private func answer(_ request: Request) async throws -> ServerAnswer {
        var request = request
        let path = request.uri.path
        let target = request.uri.query.map { "\(path)?\($0)" } ?? path
        let method = request.method.rawValue
        if path == "/oauth/v2/token" || path == "/oauth/v2/token/" {
            return request.method == .post ? await tokenAnswer(&request) : .invalidURL(method, path)
        }
        if path == "/replica/health" { return health() }
        guard path == "/crm" || path.hasPrefix("/crm/") || path == "/replica/why" else { return .invalidURL(method, path) }
        if let refusal = authenticate(request) { return refusal }
        if path == "/replica/why" { return try await why(Query(request: APIRequest(method: method, target: target, body: nil))) }
        let body: JSONValue?
        switch await Self.readBody(&request) {
        case .success(let parsed): body = parsed
        case .failure(let refusal): return refusal.answer
        }
        let api = APIRequest(method: method, target: target, body: body)
        let explain = request.headers.first { $0.name.canonicalName == "x-crm-replica-explain" }?.value == "1"
        switch request.method {
        case .post, .put, .delete:
            return try await writer.handle(api, target: target, explain: explain)
        case .get:
            let answer = try await read(api, ifModifiedSince: request.headers[.ifModifiedSince])
            try log?.append(request: api, target: target, status: answer.status, response: answer.body)
            return answer
        default:
            return .unsupported("\(method) \(path): the replica answers GET, POST, PUT and DELETE")
        }
    }

    /// `POST /oauth/v2/token`, for clients configured with a refresh token: an access token, and
    /// the server itself as `api_domain`, so that SDK 8, which moves to the `api_domain` it is
    /// given, stays on the replica. With `--token T` the token is handed only to a client that
    /// already holds it as its refresh token (the form's `refresh_token`): the endpoint needs no
    /// Authorization header, so answering T to anyone would echo the one secret `--token` sets.
    private func tokenAnswer(_ request: inout Request) async -> ServerAnswer {
        let host = request.head.authority.map { "http://\($0)" } ?? "http://\(configuration.host):\(configuration.port)"
        let form = (try? await request.collectBody(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
        // The form body reads as a query string: the one percent-decoding of APIRequest.
        let fields = APIRequest(method: "POST", target: "/?" + form + "&" + (request.uri.query ?? ""), body: nil)
        if let token = configuration.token, fields.queryValue("refresh_token") != token {
            return ServerAnswer(status: 200, body: .object(["error": .string("invalid_code")]))
        }
        return ServerAnswer(status: 200, body: .object([
            "access_token": .string(configuration.token ?? "crm-replica-local-token"), "api_domain": .string(host),
            "token_type": .string("Bearer"), "expires_in": .number("3600"),
        ]))
    }

    /// Every `/crm/` call needs `Authorization: Zoho-oauthtoken …` (with `--token T`, exactly T).
    /// The token is compared, never logged or echoed.
    private func authenticate(_ request: Request) -> ServerAnswer? {
        guard let header = request.headers[.authorization], header.hasPrefix("Zoho-oauthtoken ") else {
            return .error(401, .authenticationFailure, message: "Authentication failed",
                          details: ["replica": .string("send the header Authorization: Zoho-oauthtoken <token>")])
        }
        let token = header.dropFirst("Zoho-oauthtoken ".count).trimmingCharacters(in: .whitespaces)
        if token.isEmpty || configuration.token.map({ $0 != token }) == true {
            return .error(401, .invalidToken, message: "invalid oauth token")
        }
        return nil
    }

    /// The body as JSON whatever its `Content-Type` (Zoho's Python SDKs send none); an empty body
    /// is no body. Over the limit is 413; bad JSON is 400 INVALID_DATA with its line and column.
    private static func readBody(_ request: inout Request) async -> Result<JSONValue?, BodyRefusal> {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: ServerConfiguration.bodyLimit)
        } catch {
            return .failure(BodyRefusal(answer: .tooLarge))
        }
        guard buffer.readableBytes > 0 else { return .success(nil) }
        let bytes = Array(buffer.readableBytesView)
        do {
            return .success(try JSON.parse(bytes))
        } catch {
            return .failure(BodyRefusal(answer: .error(400, .invalidData, message: "the request body is not valid JSON: \(error)",
                                                       details: ["line": .number(String(error.line)), "column": .number(String(error.column)),
                                                                 "problem": .string(error.message)])))
        }
    }

    struct BodyRefusal: Error { let answer: ServerAnswer }

    /// JSON answers are `application/json`; 204 and 304 have no body and no `Content-Type`
    /// (which is how the SDKs recognise "no content").
    static func render(_ answer: ServerAnswer) -> Response {
        let status = HTTPResponse.Status(code: answer.status)
        guard let body = answer.body else { return Response(status: status) }
        var bytes: [UInt8] = []
        JSON.write(body, into: &bytes)
        return Response(status: status, headers: [.contentType: "application/json;charset=UTF-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
