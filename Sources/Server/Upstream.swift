import Foundation

/// `serve --upstream URL [--shadow] [--follow]`: the server becomes a recording proxy in front of
/// a real Zoho data centre. The real answer goes back to the client; the replica only watches.
public struct Upstream: Sendable {
    /// The data centre's API base (`https://www.zohoapis.eu`), with no path of its own.
    public let base: URL
    /// Predict each write on the replica (a dry run) and say on stderr where the real answer differs.
    public var shadow = false
    /// Apply each real write's outcome to the replica, so that it stays a copy of the org.
    public var follow = false
    /// How long one call may take upstream before the client is answered 504. Zoho answers a
    /// 100-record upsert in seconds; a minute leaves room for a slow one without holding a
    /// client forever on a dead connection.
    public var timeout: Double = 60

    /// Checks the URL: https, or http only to this machine (a test's second `serve`). Plain
    /// http to anywhere else would send the client's access token in clear text.
    public init(_ text: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw UpstreamError.invalidURL(text, "expected a base URL such as https://www.zohoapis.eu")
        }
        guard url.query == nil, url.path.isEmpty || url.path == "/" else {
            throw UpstreamError.invalidURL(text, "expected the data centre's base URL alone, without a path (the client's /crm/… path is added)")
        }
        switch scheme {
        case "https": break
        case "http" where Self.isLoopback(host): break
        case "http": throw UpstreamError.invalidURL(text, "plain http is refused except to this machine (127.0.0.1, ::1, localhost): use https")
        default: throw UpstreamError.invalidURL(text, "expected an https:// URL")
        }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        self.base = URL(string: base)!
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }

    /// The upstream URL of a client's request target (path and query, as the client sent them).
    func url(for target: String) -> String { base.absoluteString + target }
}

public enum UpstreamError: Error, CustomStringConvertible {
    case invalidURL(String, String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let why): return "--upstream \(url): \(why)"
        }
    }
}

extension Upstream {
    /// The startup lines of the proxy: where the calls go, and what the replica does with them.
    func announcement(base: String, databasePath: String) -> String {
        var lines = "  Forwarding \(base)/crm/… to \(self.base.absoluteString)/crm/…: point the client's API base URL at \(base); "
        lines += "it keeps its real token and exchanges it with Zoho's accounts server directly.\n"
        let watching = [shadow ? "compared with the replica's prediction on stderr (--shadow)" : nil,
                        follow ? "applied to \(databasePath) (--follow)" : nil].compactMap { $0 }
        lines += watching.isEmpty ? "  The replica \(databasePath) is left unchanged." : "  Each real answer to a write is \(watching.joined(separator: " and "))."
        lines += " Stop with Ctrl-C.\n"
        return lines
    }
}
