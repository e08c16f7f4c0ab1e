import AsyncHTTPClient
import Engine
import Formats
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1

/// `serve --upstream`: each `/crm/` call goes to the real data centre with the client's method,
/// target, body and headers (its `Authorization` too), and the real status, headers and body
/// come back byte for byte. The pair is then logged, and with `--shadow` / `--follow` handed to
/// the writer (`Writer+Upstream.swift`); the replica never answers a Zoho call itself.
final class UpstreamProxy: Sendable {
    let upstream: Upstream
    let writer: Writer
    let log: RequestLog?
    let tally = ShadowTally()
    private let client: HTTPClient

    init(upstream: Upstream, writer: Writer, log: RequestLog?) {
        self.upstream = upstream
        self.writer = writer
        self.log = log
        // Not `HTTPClient.shared`: it follows redirects and decompresses, and the client must see
        // Zoho's answer as Zoho sent it. Certificates are verified (the default, kept explicit).
        let timeout = TimeAmount.milliseconds(Int64(upstream.timeout * 1000))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                            configuration: .init(certificateVerification: .fullVerification, redirectConfiguration: .disallow,
                                                 timeout: .init(connect: min(timeout, .seconds(10)), read: timeout),
                                                 decompression: .disabled))
    }

    func shutdown() async { try? await client.shutdown() }


    /// The largest answer taken from upstream: a page of 200 records with every field is well
    /// under it; a runaway answer must not be held in memory whole.
    static let answerLimit = 64 * 1024 * 1024

    /// Request headers not passed on: the connection's own (hop-by-hop), `Host` (the upstream's
    /// is set), `Accept-Encoding` (so that the answer comes back plain, as the log needs it), and
    /// the replica's own evidence switch.
    static let localRequestHeaders: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "accept-encoding", "x-crm-replica-explain",
    ]

    /// Answer headers not passed back: the connection's own; the server sets the length of the body it sends.
    static let localAnswerHeaders: Set<String> = ["connection", "keep-alive", "transfer-encoding", "content-length", "trailer", "upgrade"]

    /// Zoho's API goes upstream; the token exchange is refused (it belongs to Zoho's accounts
    /// server, another host, and the client goes there directly); nil for the replica's own
    /// `/replica/` calls, which the replica answers.
    func respond(to request: Request) async -> Response? {
        let path = request.uri.path
        if path.hasPrefix("/oauth/") {
            return ZohoResponder.render(.error(404, .invalidURLPattern, message: "Please check if the URL trying to access is a correct one", details: [
                "replica": .string("with --upstream, the client exchanges its tokens with Zoho's accounts server directly (https://accounts.zoho.eu/oauth/v2/token for the EU); only /crm/ calls go through the replica"),
            ]))
        }
        guard path == "/crm" || path.hasPrefix("/crm/") else { return nil }
        return await forward(request)
    }

    private func forward(_ request: Request) async -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: ServerConfiguration.bodyLimit)
        } catch {
            return ZohoResponder.render(.tooLarge)
        }
        var headers = HTTPHeaders()
        for field in request.headers where !Self.localRequestHeaders.contains(field.name.canonicalName) {
            headers.add(name: field.name.rawName, value: field.value)
        }
        let path = request.uri.path
        let call = Call(method: request.method.rawValue, target: request.uri.query.map { "\(path)?\($0)" } ?? path,
                        headers: headers, body: body)
        // Unstructured: a client that hangs up must not cancel the call half-way. Zoho may have
        // written already, so its answer is still logged (whole) and followed.
        return await Task { await self.exchange(call) }.value
    }

    struct Call: Sendable {
        let method: String
        let target: String
        let headers: HTTPHeaders
        let body: ByteBuffer
    }

    private func exchange(_ call: Call) async -> Response {
        var outgoing = HTTPClientRequest(url: upstream.url(for: call.target))
        outgoing.method = HTTPMethod(rawValue: call.method)
        outgoing.headers = call.headers
        if call.body.readableBytes > 0 { outgoing.body = .bytes(call.body) }
        let status: Int
        let answerHeaders: HTTPHeaders
        let answer: ByteBuffer
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(upstream.timeout * 1000)))
            answer = try await response.body.collect(upTo: Self.answerLimit)
            status = Int(response.status.code)
            answerHeaders = response.headers
        } catch {
            let fault = UpstreamFault(error, upstream: upstream)
            FileHandle.standardError.write(Data("crm-replica serve: \(call.method) \(call.target): \(fault.message)\n".utf8))
            await observe(call, status: fault.answer.status, answer: fault.answer.body, fault: true)
            return ZohoResponder.render(fault.answer)
        }
        await observe(call, status: status, answer: answer.readableBytes > 0 ? (try? JSON.parse(Array(answer.readableBytesView))) : nil,
                      fault: false)
        var fields = HTTPFields()
        for (name, value) in answerHeaders where !Self.localAnswerHeaders.contains(name.lowercased()) {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: answer))
    }

    /// Logs the pair and hands it to the writer. A body that is not JSON is not logged, as
    /// `serve` logs no call refused before its body was parsed: a replay could not run it.
    private func observe(_ call: Call, status: Int, answer: JSONValue?, fault: Bool) async {
        let parsed: JSONValue?
        if call.body.readableBytes == 0 {
            parsed = nil
        } else if let json = try? JSON.parse(Array(call.body.readableBytesView)) {
            parsed = json
        } else {
            return
        }
        let target = Secrets.redacted(target: call.target)
        let request = APIRequest(method: call.method, target: target, body: parsed.map { Secrets.redacted($0) })
        do {
            try await writer.observe(request, target: target, status: status, answer: answer.map { Secrets.redacted($0) }, log: log,
                                     upstream: fault ? nil : upstream, tally: tally)
        } catch {
            FileHandle.standardError.write(Data("crm-replica serve: \(call.method) \(target): \(error)\n".utf8))
        }
    }
}

/// An upstream that did not answer: 504 when it timed out (Zoho may or may not have applied the
/// call), 502 when it could not be reached or hung up. Both are the replica's own codes, in
/// Zoho's error shape, so that an SDK parses them as an API error.
struct UpstreamFault {
    let answer: ServerAnswer
    let message: String

    init(_ error: Error, upstream: Upstream) {
        let timeouts: [HTTPClientError] = [.deadlineExceeded, .readTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout]
        let base = upstream.base.absoluteString
        if let error = error as? HTTPClientError, timeouts.contains(error) {
            message = "the upstream \(base) did not answer within \(String(format: "%g", upstream.timeout)) s; it may or may not have applied the call"
            answer = .error(504, .upstreamTimeout, message: message, details: ["upstream": .string(base), "error": .string("\(error)")])
        } else {
            message = "the upstream \(base) could not be reached or closed the connection (\(error))"
            answer = .error(502, .upstreamUnreachable, message: message, details: ["upstream": .string(base), "error": .string("\(error)")])
        }
    }
}

/// What the log must never hold: OAuth secrets in a body or query (the `Authorization` header
/// is never logged at all).
enum Secrets {
    static let names: Set<String> = ["client_secret", "refresh_token", "access_token", "password"]
    static let mask = "(redacted)"

    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var copy = object
            for (key, inner) in object {
                copy[key] = names.contains(key.lowercased()) && inner.stringValue != nil ? .string(mask) : redacted(inner)
            }
            return .object(copy)
        case .array(let items):
            return .array(items.map { redacted($0) })
        default:
            return value
        }
    }

    static func redacted(target: String) -> String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        let parameters = target[target.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map { parameter in
            let name = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return names.contains(name.lowercased()) ? "\(name)=\(mask)" : String(parameter)
        }
        return String(target[..<mark]) + "?" + parameters.joined(separator: "&")
    }
}
