import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `crm-replica` binary (or any other program), as scripts and users call it.
public enum CLI {
    /// The package root: this file is `<root>/Tests/TestSupport/Command.swift`.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The binary the tests drive; `swift build` makes it.
    public static let binary = packageRoot.appendingPathComponent(".build/debug/crm-replica")

    /// Runs `crm-replica` with `arguments` in `directory`, `environment` over the test's own.
    public static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                           timeout: TimeInterval = 600) throws -> CommandResult {
        try RunningCommand(arguments, in: directory, environment: environment).wait(timeout: timeout)
    }

    /// Runs any `executable` (e.g. `/usr/bin/sqlite3`) with `arguments` in `directory`.
    public static func execute(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
                               timeout: TimeInterval = 600) throws -> CommandResult {
        try RunningCommand(arguments, executable: executable, in: directory, environment: environment).wait(timeout: timeout)
    }
}

/// How one run of a command ended. (Not `Outcome`: that is the engine's answer for a record.)
public struct CommandResult: CustomStringConvertible {
    public let status: Int32
    /// True when the process died of a signal (a crash, or our own SIGKILL).
    public let signalled: Bool
    public let stdout: String
    public let stderr: String

    /// stdout split into lines, without empty ones.
    public var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// The `--json` document; nil when stdout is not one JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }

    public var description: String {
        "\(signalled ? "signal" : "exit") \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
    }
}

/// A running command whose output goes to files: no pipe can fill up and stall it.
public final class RunningCommand {
    public let process = Process()
    private let out: URL
    private let err: URL

    /// Starts `executable` (by default `crm-replica`). The environment is the test's own without
    /// `CRM_REPLICA_DB` (so that only what a test passes chooses the replica), then `environment`.
    public init(_ arguments: [String], executable: URL = CLI.binary, in directory: URL, environment: [String: String] = [:]) throws {
        let missing: Comment = executable == CLI.binary ? "build the binary first: swift build" : "missing \(executable.path)"
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), missing)
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("crm-replica-run-\(UUID().uuidString)")
        out = capture.appendingPathExtension("stdout")
        err = capture.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["CRM_REPLICA_DB"] = nil
        // A crash should die quickly with its signal rather than spend seconds symbolicating.
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }

    /// What the command printed on stdout so far (a server's startup line, while it runs).
    public var stdoutSoFar: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
    public var stderrSoFar: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }
    public var pid: Int32 { process.processIdentifier }

    public func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
    }

    /// Waits for the end, killing the process after `timeout` seconds: a hang fails the test
    /// instead of blocking the suite. The timeout is generous on purpose; no test measures time.
    public func wait(timeout: TimeInterval = 600, sourceLocation: SourceLocation = #_sourceLocation) -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            Issue.record("\(process.executableURL?.lastPathComponent ?? "") \(process.arguments ?? []) still running after \(Int(timeout)) s; killed",
                         sourceLocation: sourceLocation)
            kill()
        }
        process.waitUntilExit()
        let stdout = (try? Data(contentsOf: out)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let stderr = (try? Data(contentsOf: err)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return CommandResult(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                             stdout: stdout, stderr: stderr)
    }
}

/// A temporary directory holding one replica database and the input files of a test, and the
/// `crm-replica` commands run against that database.
public final class Workspace: ScratchDirectory {
    /// Runs `crm-replica arguments… --db <this workspace's database>` to the end.
    public func run(_ arguments: [String], db: String? = nil, timeout: TimeInterval = 600,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        try start(arguments, db: db).wait(timeout: timeout, sourceLocation: sourceLocation)
    }

    /// Starts `crm-replica arguments… --db <database>` and returns at once.
    public func start(_ arguments: [String], db: String? = nil) throws -> RunningCommand {
        try RunningCommand(arguments + ["--db", db ?? database], in: directory)
    }

    /// Runs a command that must succeed, failing the test with its output otherwise.
    @discardableResult
    public func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let outcome = try run(arguments, sourceLocation: sourceLocation)
        #expect(outcome.status == 0 && !outcome.signalled, "\(arguments): \(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    /// Writes `text` as the file `name`, runs `load FILE --quiet` on it (with `--module` if given),
    /// and fails the test if `load` refuses it.
    public func load(_ name: String, _ text: String, module: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let loaded = try run(["load", try write(name, text), "--quiet"] + (module.map { ["--module", $0] } ?? []),
                             sourceLocation: sourceLocation)
        try #require(loaded.status == 0, "load \(name): \(loaded.stderr)", sourceLocation: sourceLocation)
    }

    /// The size of `<database>-wal`, 0 when there is none.
    public var walSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: database + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
