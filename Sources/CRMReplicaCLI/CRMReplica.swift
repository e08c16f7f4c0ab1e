import ArgumentParser
import Engine
import Foundation
import Persistence

@main
struct CRMReplica: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-replica",
        abstract: "A local SQLite replica of a Zoho CRM org that explains duplicate verdicts.",
        subcommands: [Demo.self, Load.self, Stats.self, Show.self, SettingsCommand.self, Why.self, ReplayCommand.self, CalibrateCommand.self, ServeCommand.self, SampleCommand.self])

    /// The contract's exit codes: argument-parser reports usage errors as 64 (EX_USAGE);
    /// crm-replica promises 2 for every kind of bad usage or input.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The replica database (default $CRM_REPLICA_DB, else ./crm-replica.sqlite).")
    var db: String?

    @Flag(name: .long, help: "Print JSON on stdout: one document; for replay, NDJSON: one Zoho envelope per line, line N for request N.")
    var json = false

    @Flag(name: .long, help: "No progress bar.")
    var quiet = false

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["CRM_REPLICA_DB"] ?? "./crm-replica.sqlite"
    }

    /// Opens the replica. Only commands that build one (`load`, `settings KEY VALUE`, `demo`)
    /// pass `creating: true`: any other command on a missing file would answer from an empty
    /// replica ("99 added" for a batch whose holders were never loaded) after a typo in `--db`.
    func open(_ mode: Database.Mode = .readWrite, creating: Bool = false) throws -> Database {
        try Database(path: try checkedPath(creating: creating), mode: mode)
    }

    /// The replica as `why` and `replay` use it: which connection (read-only, a dry run's, or a
    /// writer's) is the service's decision.
    func replica(_ access: ReplicaService.Access) throws -> ReplicaService {
        try ReplicaService(path: try checkedPath(creating: false), access: access)
    }

    private func checkedPath(creating: Bool) throws -> String {
        if db == nil, ProcessInfo.processInfo.environment["CRM_REPLICA_DB"]?.isEmpty == true {
            throw DatabaseLocationError.emptyEnvironment
        }
        let path = databasePath
        if !creating, !FileManager.default.fileExists(atPath: path) { throw PersistenceError.readOnlyMissing(path: path) }
        return path
    }
}

enum DatabaseLocationError: Error, CustomStringConvertible {
    case emptyEnvironment

    var description: String {
        switch self {
        case .emptyEnvironment:
            return "CRM_REPLICA_DB is set but empty; set it to a database file, or unset it to use ./crm-replica.sqlite"
        }
    }
}
