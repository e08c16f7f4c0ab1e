import Formats

/// One HTTP answer: a status and a JSON body, or no body at all (204, 304).
struct ServerAnswer: Sendable {
    let status: Int
    let body: JSONValue?

    init(status: Int, body: JSONValue?) {
        self.status = status
        self.body = body
    }

    /// 304: `settings/modules` unchanged since the client's `If-Modified-Since`.
    static let notModified = ServerAnswer(status: 304, body: nil)

    /// 204: a search, list or deleted-records page with nothing to return (the SDKs read it as "no content").
    static let noContent = ServerAnswer(status: 204, body: nil)

    /// 413: a body over `ServerConfiguration.bodyLimit`, refused before it is held in memory.
    static let tooLarge = error(413, .invalidData, message: "the request body is larger than \(ServerConfiguration.bodyLimit) bytes",
                                details: ["limit": .number(String(ServerConfiguration.bodyLimit))])

    /// Zoho's request-level error: a bare `{"code","details","message","status":"error"}`, not wrapped in `data`.
    static func error(_ status: Int, _ code: ErrorCode, message: String, details: JSONObject = [:]) -> ServerAnswer {
        ServerAnswer(status: status, body: .object([
            "code": .string(code.rawValue), "details": .object(details), "message": .string(message), "status": .string("error"),
        ]))
    }

    /// The request-level codes the server answers itself, before or beside the engine.
    enum ErrorCode: String, Sendable {
        case authenticationFailure = "AUTHENTICATION_FAILURE"
        case invalidToken = "INVALID_TOKEN"
        case invalidData = "INVALID_DATA"
        case invalidURLPattern = "INVALID_URL_PATTERN"
        case invalidModule = "INVALID_MODULE"
        case notSupported = "NOT_SUPPORTED"
        case requiredParamMissing = "REQUIRED_PARAM_MISSING"
        case invalidQuery = "INVALID_QUERY"
        case internalError = "INTERNAL_ERROR"
        /// `--upstream` only: the replica's own codes for an upstream that did not answer.
        case upstreamUnreachable = "UPSTREAM_UNREACHABLE"
        case upstreamTimeout = "UPSTREAM_TIMEOUT"
    }

    /// What the replica models, said in every answer to a call it does not: a client's author
    /// learns why from the body, not from the server's source.
    static let modelled = "the replica stores Contacts, Leads and Campaigns; it answers their insert, update, upsert, "
        + "delete, restore, get, list, search and deleted-records calls, campaign membership, and the metadata the SDKs fetch"

    static func unsupported(_ why: String) -> ServerAnswer {
        error(400, .notSupported, message: "the replica does not model this call", details: ["replica": .string("\(why); \(modelled)")])
    }

    static func invalidURL(_ method: String, _ path: String) -> ServerAnswer {
        error(404, .invalidURLPattern, message: "Please check if the URL trying to access is a correct one",
              details: ["replica": .string("\(method) \(path) is not a Zoho CRM call the replica knows; \(modelled)")])
    }
}
