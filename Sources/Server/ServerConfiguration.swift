import Foundation

/// What `crm-replica serve` was asked for; the CLI parses the flags, the server reads only this.
public struct ServerConfiguration: Sendable {
    public var databasePath: String
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port; the startup line names the one it gave.
    public var port = 8765
    /// The only access token accepted; nil accepts any `Zoho-oauthtoken`.
    public var token: String?
    /// Answer every request as it would be answered, then roll it back.
    public var dryRun = false
    /// `--set KEY=VALUE` overrides, applied over the stored settings at every refresh.
    public var overrides: [String] = []
    /// The request log (NDJSON that `replay` reads), if any.
    public var logPath: String?
    /// A fixed clock for Created_Time, Modified_Time and the recycle-bin window; nil is the real clock.
    public var asOf: Date?
    /// `--upstream`: forward every call to a real Zoho data centre instead of answering it.
    public var upstream: Upstream?

    public init(databasePath: String) { self.databasePath = databasePath }

    /// The largest request body read. Zoho takes at most 100 records a call, a few hundred KB even
    /// with long custom fields: 8 MiB leaves room for any real call, while a runaway client
    /// (or a file posted by mistake) gets 413 before its bytes are held in memory.
    public static let bodyLimit = 8 * 1024 * 1024

    /// Whether `host` is reachable only from this machine (a loopback address or name).
    public var bindsLoopbackOnly: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The clock of a request: the fixed `--as-of`, or now.
    func now() -> Date { asOf ?? Date() }
}
