import Engine
import Foundation
import Hummingbird
import Persistence

/// `crm-replica serve`: Hummingbird on SwiftNIO, answering Zoho's REST API from the replica.
public enum ReplicaServer {
    /// Opens the replica and the log, binds, prints the base URL, and serves until SIGINT or
    /// SIGTERM, which let the requests in flight finish before the database is closed. Throws
    /// (before binding) on a missing replica, an invalid setting or an unwritable log.
    public static func run(_ configuration: ServerConfiguration) async throws {
        let log = try configuration.logPath.map(RequestLog.init(path:))
        let writer = try Writer(configuration: configuration, log: log)
        let reader = try Reader(configuration: configuration)
        let calibration = try calibrationNote(configuration)
        let proxy = configuration.upstream.map { UpstreamProxy(upstream: $0, writer: writer, log: log) }
        var app = Application(
            responder: ZohoResponder(configuration: configuration, writer: writer, reader: reader, log: log, proxy: proxy),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                announce(configuration, port: channel.localAddress?.port ?? configuration.port, calibration: calibration)
            })
        // Hummingbird's own info lines would bury the startup lines a script reads.
        app.logger.logLevel = .error
        // Hummingbird stops on SIGINT or SIGTERM once the requests in flight are answered; then
        // the connections close, the reader first, so that the writer's close removes the WAL.
        try await app.runService()
        await proxy?.shutdown()
        await reader.close()
        await writer.close()
    }

    /// The sentence naming the calibrated settings in force (`calibrate --apply`), if any.
    static func calibrationNote(_ configuration: ServerConfiguration) throws -> String? {
        let db = try Database(path: configuration.databasePath, mode: .readOnly)
        var settings = try Settings.load(db)
        for assignment in configuration.overrides { try settings.apply(assignment: assignment) }
        return Settings.calibrationNote(settings, sources: try Settings.sources(db))
    }

    /// The startup lines: the base URL (tests and scripts read it from the first line) and how to
    /// point an SDK at it; on stderr, a warning when the server is reachable from the network.
    static func announce(_ configuration: ServerConfiguration, port: Int, calibration: String? = nil) {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let base = "http://\(host):\(port)"
        var lines = "crm-replica serve: listening on \(base)\n"
        if let upstream = configuration.upstream {
            lines += upstream.announcement(base: base, databasePath: configuration.databasePath)
        } else {
            lines += "  Point a Zoho SDK at it: API base URL \(base) (paths /crm/v2/… to /crm/v8/…), "
            lines += "accounts URL \(base)/oauth/v2/token, any access token\(configuration.token == nil ? "" : " (only the one given with --token)").\n"
            lines += "  Writes \(configuration.dryRun ? "are answered and rolled back (--dry-run)" : "are kept in \(configuration.databasePath)"). Stop with Ctrl-C.\n"
        }
        lines += WebPages.announcement(configuration, base: base)
        // Every answer rests on the settings: say which of them the org's own answers decided.
        if let calibration { lines += "  \(calibration)\n" }
        FileHandle.standardOutput.write(Data(lines.utf8))
        if !configuration.bindsLoopbackOnly {
            FileHandle.standardError.write(Data("crm-replica serve: warning: bound to \(configuration.host), reachable from the network, not only from this machine\n".utf8))
        }
    }
}
