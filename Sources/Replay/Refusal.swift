import Catalogue
import Engine
import Formats

/// A real answer that refused the request whole: Zoho wrote nothing, so the replica must not
/// apply the request either, or every later request (typically its retry) is predicted
/// against records that do not exist in Zoho.
///
/// Zoho refuses a request whole with an object that has a `code` and no per-record `data`
/// (`{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`),
/// and an authentication failure, throttling or server error (401, 429, 5xx) writes nothing
/// whatever the body says, or when there is none.
public struct Refusal: Sendable, Equatable, CustomStringConvertible {
    /// The real HTTP status, when the input recorded it (`--compare FILE` answers do not).
    public let status: Int?
    /// The real request-level `code`, when the answer had one.
    public let code: String?

    public init?(status: Int?, response: JSONValue?) {
        let code = response?["code"]?.stringValue
        let requestLevel = code != nil && response?["data"]?.arrayValue == nil
        guard requestLevel || status.map(Self.refusesWhole) == true else { return nil }
        self.status = status
        self.code = code
    }

    /// Statuses at which Zoho has written nothing: authentication, throttling, server errors.
    private static func refusesWhole(_ status: Int) -> Bool {
        status == 401 || status == 429 || (500...599).contains(status)
    }

    /// The request-level codes the replica predicts itself (a batch over `batch_limit`); for
    /// any other (a token, a rate limit, a server fault) the replica has nothing to predict, so
    /// a refusal with it is no difference.
    static let predicted: Set<Outcome.Code> = [.limitExceeded]

    var isPredictable: Bool { code.flatMap(Outcome.Code.init(rawValue:)).map(Self.predicted.contains) ?? false }

    /// `INVALID_TOKEN (HTTP 401)`, `INVALID_TOKEN`, `HTTP 500`.
    public var description: String {
        switch (code, status) {
        case let (code?, status?): return "\(code) (HTTP \(status))"
        case let (code?, nil): return code
        case let (nil, status?): return "HTTP \(status)"
        case (nil, nil): return "a request-level error"
        }
    }

    /// The name a summary counts it under: the code, else the status.
    var cause: String { code ?? status.map { "HTTP \($0)" } ?? "a request-level error" }

    /// `{"status":401,"code":"INVALID_TOKEN"}`; a key the answer did not give is null.
    var json: JSONValue {
        .object(["status": status.map { .number(String($0)) } ?? .null, "code": code.map(JSONValue.string) ?? .null])
    }
}
