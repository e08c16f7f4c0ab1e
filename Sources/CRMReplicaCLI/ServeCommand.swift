import ArgumentParser
import Catalogue
import Engine
import Foundation
import Server

/// `crm-replica serve`: parses the flags and starts the `Server` target, which owns the rest.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer Zoho's CRM REST API over HTTP from the replica, so an unchanged client or SDK can run against it.",
        discussion: """
            Writes (insert, update, upsert, delete, restore, campaign membership) go through the same engine \
            as replay; each write request is one transaction that commits (--dry-run rolls each back). Every \
            /crm/ call needs Authorization: Zoho-oauthtoken <token>. The first line printed is the base URL; \
            --port 0 picks a free port. SIGINT or SIGTERM finish the requests in flight and stop.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "The address to bind (default 127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port, printed at startup).")
    var port = 8765

    @Option(help: "Accept only this access token (default: any Zoho-oauthtoken).")
    var token: String?

    @Flag(name: .customLong("dry-run"), help: "Answer every request as it would be answered, then roll it back.")
    var dryRun = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting while serving.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Option(help: ArgumentHelp("Append one NDJSON line a request, in the request-log format replay reads.", valueName: "FILE"))
    var log: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Fix the clock (Created_Time, Modified_Time, the recycle-bin window); default now.", valueName: "DATE|now"))
    var asOf: String?

    @Option(help: ArgumentHelp("Forward every /crm/ call to this Zoho data centre (https; http only to this machine) and log the real answers.",
                               valueName: "URL"))
    var upstream: String?

    @Flag(help: "With --upstream: predict each write on the replica and print on stderr where the real answer differs.")
    var shadow = false

    @Flag(help: "With --upstream: apply each real write's outcome to the replica, so that it stays a copy of the org.")
    var follow = false

    @Option(name: .customLong("upstream-timeout"), help: ArgumentHelp("With --upstream: seconds a call may take before the client gets 504.", valueName: "SECONDS"))
    var upstreamTimeout = 60.0

    func validate() throws {
        if upstream == nil, shadow || follow { throw ValidationError("--\(shadow ? "shadow" : "follow") needs --upstream URL") }
        if upstream != nil, token != nil { throw ValidationError("--token does not apply with --upstream: the upstream checks the client's real token") }
        if follow, dryRun { throw ValidationError("--follow and --dry-run contradict each other: --follow writes the real outcomes to the replica") }
        guard upstreamTimeout > 0, upstreamTimeout.isFinite else { throw ValidationError("--upstream-timeout \(upstreamTimeout): expected a number of seconds above 0") }
        if let upstream {
            do { _ = try Upstream(upstream) } catch { throw ValidationError("\(error)") }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): expected 0 to 65535") }
        if let asOf, asOf != "now", Timestamps.parse(asOf) == nil {
            throw ValidationError("--as-of \(asOf): expected an ISO 8601 date such as 2026-11-20T18:00:00+00:00, or now")
        }
        if let token, token.isEmpty { throw ValidationError("--token: expected a token, got an empty string") }
    }

    func run() throws {
        try runReporting {
            var configuration = ServerConfiguration(databasePath: try checkedReplicaPath())
            configuration.host = host
            configuration.port = port
            configuration.token = token
            configuration.dryRun = dryRun
            configuration.overrides = assignments
            configuration.logPath = log
            configuration.asOf = asOf.flatMap { $0 == "now" ? nil : Timestamps.parse($0) }
            configuration.upstream = try upstream.map { url in
                var upstream = try Upstream(url)
                (upstream.shadow, upstream.follow, upstream.timeout) = (shadow, follow, upstreamTimeout)
                return upstream
            }
            let fixed = configuration
            try Blocking.run { try await ReplicaServer.run(fixed) }
        }
    }
}

extension ServeCommand {
    /// Opens the replica once and closes it again, so that a missing replica or a bad `--set`
    /// fails with exit 2 before the server binds (and no connection of this check outlives it:
    /// the server's own writer must be the last to close, which removes the WAL).
    private func checkedReplicaPath() throws -> String {
        let replica = try common.replica(.read)
        _ = try replica.settings(overrides: assignments)
        return replica.path
    }
}

/// Runs an async body to its end from a synchronous command (the CLI's `main` is synchronous).
enum Blocking {
    static func run(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await body() } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }

    private final class FailureBox: @unchecked Sendable { var error: Error? }
}
