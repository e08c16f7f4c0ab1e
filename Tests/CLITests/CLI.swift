import Foundation
import Testing

/// Runs the built `crm-replica` binary, as scripts and users call it.
enum CLI {
    /// The package root: this file is `<root>/Tests/CLITests/CLI.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/crm-replica")

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stdout split into lines, without empty ones.
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }

        /// The `--json` document; nil when stdout is not one JSON object.
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        }
    }

    /// Runs `crm-replica` with `arguments` in `directory`.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws -> Outcome {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the binary first: swift build")
        return try execute(binary, arguments, in: directory, environment: environment)
    }

    /// Runs any `executable` (e.g. `/usr/bin/sqlite3`) with `arguments` in `directory`.
    static func execute(_ executable: URL, _ arguments: [String], in directory: URL,
                        environment: [String: String]? = nil) throws -> Outcome {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "missing \(executable.path)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        // Files rather than pipes: a chatty process can never block on a full pipe.
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("cli-out-\(UUID().uuidString)")
        let outURL = capture.appendingPathExtension("stdout"), errURL = capture.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// A temporary directory, deleted afterwards.
final class Workspace {
    let directory: URL
    var database: String { directory.appendingPathComponent("replica.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs `crm-replica` with `arguments` and `--db` pointing at this workspace's database.
    func run(_ arguments: [String]) throws -> CLI.Outcome {
        try CLI.run(arguments + ["--db", database], in: directory)
    }

    /// Writes `text` as the file `name`, runs `load FILE --quiet` on it (with `--module` if given),
    /// and fails the test if `load` refuses it.
    func load(_ name: String, _ text: String, module: String? = nil) throws {
        let loaded = try run(["load", try write(name, text), "--quiet"] + (module.map { ["--module", $0] } ?? []))
        try #require(loaded.status == 0, "load \(name): \(loaded.stderr)")
    }
}
