import Foundation
import TestSupport
import Testing

/// The README's commands work when copied: each command line of its shell blocks runs against the
/// samples, and where the README shows a command's output (`$ crm-replica …` followed by lines),
/// those lines are what the command prints.
@Suite("CLI: the README's commands")
struct ReadmeCommandsCLITests {
    /// One command of the README, with the output lines it shows (none for a plain `sh` block).
    struct Example {
        let command: String
        let shown: [String]
    }

    /// The fenced blocks of a Markdown text: `sh` blocks give one command a line (comments cut);
    /// other blocks give their `$ ` lines, each with the lines that follow it up to the next `$ `.
    static func examples(in markdown: String) -> [Example] {
        var examples: [Example] = []
        var block: [String]? = nil, language = ""
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let lines = block {
                    examples += language == "sh" ? commands(lines) : transcripts(lines)
                    block = nil
                } else {
                    block = []
                    language = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                }
            } else if block != nil {
                block?.append(line)
            }
        }
        return examples
    }

    static func commands(_ lines: [String]) -> [Example] {
        lines.compactMap { line in
            let command = (line.range(of: " # ").map { String(line[..<$0.lowerBound]) } ?? line).trimmingCharacters(in: .whitespaces)
            return command.isEmpty || command.hasPrefix("#") ? nil : Example(command: command, shown: [])
        }
    }

    static func transcripts(_ lines: [String]) -> [Example] {
        var examples: [Example] = []
        for line in lines {
            if line.hasPrefix("$ ") {
                examples.append(Example(command: String(line.dropFirst(2)), shown: []))
            } else if let last = examples.popLast() {
                examples.append(Example(command: last.command, shown: last.shown + [line]))
            }
        }
        return examples
    }

    /// The README's commands run in a folder whose `Samples` is the repository's, so that
    /// relative paths work and files a command writes (`--csv result.csv`) land in the folder.
    @Test func everyReadmeCommandRunsAndPrintsWhatTheReadmeShows() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let examples = Self.examples(in: readme)
        #expect(examples.count >= 15, "\(examples.map(\.command))")
        let workspace = try Workspace()
        try FileManager.default.createSymbolicLink(at: workspace.directory.appendingPathComponent("Samples"),
                                                   withDestinationURL: CLI.packageRoot.appendingPathComponent("Samples"))
        var environment = ProcessInfo.processInfo.environment
        environment["CRM_REPLICA_DB"] = workspace.database
        var ran = 0
        var server: RunningCommand?
        defer { server?.kill() }
        for example in examples {
            var command = example.command
            if command.hasPrefix("swift run crm-replica ") { command = String(command.dropFirst("swift run ".count)) }
            if command == "swift test" { continue }
            let line: String
            if command.hasPrefix("curl ") {
                // The README's curl example talks to `serve` as the README says it was started, on
                // this replica, here on a free port instead of 8765.
                let serve = try server ?? Self.serve(workspace)
                server = serve
                line = command.replacingOccurrences(of: "http://127.0.0.1:8765", with: try Self.baseURL(of: serve))
            } else {
                try #require(command.hasPrefix("crm-replica "), "a README command that is not crm-replica's or curl: \(command)")
                line = CLI.binary.path + command.dropFirst("crm-replica".count)
            }
            let outcome = try CLI.execute(URL(fileURLWithPath: "/bin/sh"), ["-c", line], in: workspace.directory, environment: environment)
            ran += 1
            // 1 is a finding the user asked about (differences found by a comparison), never a failure to run.
            #expect(outcome.status == 0 || (outcome.status == 1 && command.hasPrefix("crm-replica replay")), "\(command)\n\(outcome.stderr)")
            #expect(!outcome.stderr.contains("error:"), "\(command)\n\(outcome.stderr)")
            let printed = outcome.stdout.components(separatedBy: "\n")
            for shown in example.shown where !shown.contains("…") && !shown.trimmingCharacters(in: .whitespaces).isEmpty {
                #expect(printed.contains(shown), "`\(command)` does not print the README's line:\n\(shown)\n--- it printed:\n\(outcome.stdout)")
            }
        }
        #expect(ran >= 15)
        #expect(server != nil, "the README's curl example ran against serve")
    }

    /// `serve` on the workspace's replica, as the README's "A local Zoho API" starts it.
    static func serve(_ workspace: Workspace) throws -> RunningCommand {
        try workspace.start(["serve", "--port", "0", "--as-of", "2026-11-20T18:00:00+00:00", "--dry-run"])
    }

    /// The base URL `serve` printed on its startup line, waited for.
    static func baseURL(of server: RunningCommand) throws -> String {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, server.isRunning {
            if let line = server.stdoutSoFar.split(separator: "\n").first(where: { $0.contains("listening on ") }),
               let start = line.range(of: "http://") {
                return String(line[start.lowerBound...]).trimmingCharacters(in: .whitespaces)
            }
            usleep(20_000)
        }
        throw CLIError.serverDidNotStart(server.stdoutSoFar + server.stderrSoFar)
    }

    enum CLIError: Error { case serverDidNotStart(String) }
}
