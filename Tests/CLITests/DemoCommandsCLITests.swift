import Foundation
import TestSupport
import Testing

/// Every command the demo prints runs as printed, against the replica the demo kept, and tells
/// the same story as the demo.
@Suite("CLI: the demo's commands")
struct DemoCommandsCLITests {
    /// The `$ crm-replica …` lines of an output, without their `# note`.
    static func commands(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("$ crm-replica ") else { return nil }
            let command = trimmed.dropFirst(2)
            return String(command.components(separatedBy: "   # ").first ?? String(command))
        }
    }

    /// Runs a printed command line through the shell (globs expand as for a user), with the built
    /// binary in place of `crm-replica`.
    static func shell(_ command: String, in directory: URL = CLI.packageRoot) throws -> CommandResult {
        let line = CLI.binary.path + command.dropFirst("crm-replica".count)
        return try CLI.execute(URL(fileURLWithPath: "/bin/sh"), ["-c", line], in: directory)
    }

    @Test func everyCommandTheDemoPrintsRunsAndAgreesWithIt() throws {
        let workspace = try Workspace()
        let kept = workspace.directory.appendingPathComponent("demo.sqlite").path
        let demo = try CLI.run(["demo", "--db", kept], in: CLI.packageRoot)
        try #require(demo.status == 0, "\(demo.stderr)")
        let commands = Self.commands(in: demo.stdout)
        #expect(commands.count >= 6, "\(demo.stdout)")
        let summary = try #require(demo.stdout.firstMatch(of: /Zoho would answer: (\d+ added, \d+ updated, \d+ failed)/)?.1)
        for command in commands {
            #expect(command.hasSuffix("--db \(kept)") || command.contains("--db \(kept) "), "\(command)")
            let outcome = try Self.shell(command)
            #expect(outcome.status == 0, "\(command)\n\(outcome.stderr)")
            #expect(!outcome.stderr.contains("error"), "\(command)\n\(outcome.stderr)")
            if command.contains("campaign-upsert.json"), !command.contains("--set") {
                #expect(outcome.stdout.contains(String(summary)), "\(command) does not tell the demo's \(summary)")
            }
        }
    }

    @Test func withoutDbTheDemoSaysHowToKeepTheReplicaItsCommandsUse() throws {
        let demo = try CLI.run(["demo"], in: CLI.packageRoot)
        try #require(demo.status == 0, "\(demo.stderr)")
        let commands = Self.commands(in: demo.stdout)
        #expect(commands.contains("crm-replica demo --db demo.sqlite"))
        for command in commands where command != "crm-replica demo --db demo.sqlite" {
            #expect(command.contains("--db demo.sqlite"), "\(command)")
        }
    }

    @Test func theLoadTableIsAlignedAndCutListsSayHowManyMore() throws {
        let demo = try CLI.run(["demo"], in: CLI.packageRoot)
        try #require(demo.status == 0, "\(demo.stderr)")
        let lines = demo.stdout.split(separator: "\n").map(String.init)
        let table = lines.filter { $0.hasSuffix(" read") }
        #expect(table.count == 10)
        // Every column starts at the same offset on every row.
        let formats = ["members-csv", "json", "ui-csv", "deleted", "fields", "duplicate-check-preference"]
        let offsets = Set(table.compactMap { row in
            formats.compactMap { format in row.range(of: "  " + format + " ").map { row.distance(from: row.startIndex, to: $0.lowerBound) } }.first
        })
        #expect(offsets.count == 1, "\(table.joined(separator: "\n"))")
        // A cause or surprise whose count exceeds the rows shown says how many more there are.
        for (index, line) in lines.enumerated() {
            guard let count = line.firstMatch(of: #/^  (\d+) ×\s/#).flatMap({ Int($0.1) }) else { continue }
            let shown = lines[(index + 1)...].prefix { $0.hasPrefix("      ") }
            let rows = shown.filter { $0.hasPrefix("      row ") }.count
            guard rows > 0 else { continue }
            if count > rows {
                #expect(shown.contains { $0 == "      … and \(count - rows) more" }, "\(line)")
            }
        }
    }
}
