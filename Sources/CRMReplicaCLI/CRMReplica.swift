import ArgumentParser
import Foundation
import Persistence

@main
struct CRMReplica: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-replica",
        abstract: "A local SQLite replica of a Zoho CRM org that explains duplicate verdicts.",
        subcommands: [Demo.self, Load.self, Stats.self, Show.self, SettingsCommand.self, Why.self, ReplayCommand.self, SampleCommand.self])

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

    @Flag(name: .long, help: "Print one JSON document on stdout.")
    var json = false

    @Flag(name: .long, help: "No progress bar.")
    var quiet = false

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["CRM_REPLICA_DB"] ?? "./crm-replica.sqlite"
    }

    func open(_ mode: Database.Mode = .readWrite) throws -> Database {
        try Database(path: databasePath, mode: mode)
    }
}
