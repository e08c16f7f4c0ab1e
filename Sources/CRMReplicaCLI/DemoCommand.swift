import ArgumentParser
import Catalogue
import Engine
import Foundation
import Ingest
import Persistence
import Replay
import SampleData
import Storage

/// The first command of the README: the seed's story on the bundled sample org.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the bundled sample org, replay a 100-contact upsert, and explain every failure.",
        discussion: "Uses ./Samples when run from the repository, else the copy built into the binary. The database is temporary unless --db names a new file.")

    @Option(name: .long, help: "Keep the replica in this new file (default: a temporary one, removed afterwards).")
    var db: String?

    func run() throws {
        try runReporting {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crm-replica-demo-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            if let db, FileManager.default.fileExists(atPath: db) {
                throw DemoError.existingDatabase(db)
            }
            let path = db ?? scratch.appendingPathComponent("demo.sqlite").path
            let location = SampleLocator.find()
            let samples = try location.files(scratch: scratch.appendingPathComponent("Samples"))
            let replica = try ReplicaService(path: path, access: .write)
            let database = replica.db
            var out = DemoText()
            out.title("crm-replica demo: why do brand-new contacts fail with DUPLICATE_DATA?")
            out.line("Samples: " + (location == .embedded ? "the copy built into this binary" : samples.root.path))

            // Every command the demo prints runs as printed (a test runs them): against the replica
            // it keeps with --db, or against one that `demo --db demo.sqlite` keeps.
            let shell = DemoCommands(db: db ?? "demo.sqlite", root: samples.root)
            out.section("1. Load the org's export")
            out.command(shell.line(["load", shell.path(samples.root.appendingPathComponent(SampleStory.orgFolder)) + "/*"]))
            let loader = Loader(db: database)
            var loaded: [[String]] = []
            for file in try samples.orgFiles() {
                let report = try loader.load(path: file.path, options: LoadOptions())
                loaded.append([file.lastPathComponent, report.module ?? "-", report.format, "\(report.read) read"])
            }
            for row in DemoText.columns(loaded) { out.line("  " + row) }
            let counts = try ReplicaCounts(db: database)
            out.line("  The replica: " + counts.rows.map { "\($0.count) \($0.name)" }.joined(separator: ", ") + ".")

            let batch = samples.upsertBatch
            let settings = try replica.settings()
            let asOf = SampleStory.referenceDate
            let base = try replay([batch.path], replica, settings, asOf: asOf)
            out.section("2. Replay the upsert the team sent (a dry run: the replica is unchanged)")
            out.command(shell.line(["replay", shell.path(batch), "--module", "Contacts", "--as-of", Timestamps.format(asOf)]))
            out.line("  POST /crm/v8/Contacts/upsert with duplicate_check_fields [\"Email\"], as of \(Timestamps.format(asOf)).")
            out.line("  Zoho would answer: " + summary(base.tally) + ".")
            let items = base.requests.flatMap(\.items)
            let digest = BatchDigest(items: items, field: "Email")
            out.section("3. Why \(base.tally.failed) records fail")
            for cause in digest.failures {
                out.line("  \(cause.rows.count) × \(cause.title)")
                for row in cause.rows.prefix(3) { out.line("      " + describe(row)) }
                if cause.rows.count > 3 { out.line("      … and \(cause.rows.count - 3) more") }
            }
            out.section("4. Surprises among the successes")
            for surprise in digest.surprises {
                out.line("  \(surprise.rows.count) × \(surprise.title)")
                for row in surprise.rows.prefix(2) { out.line("      " + describe(row)) }
                if surprise.rows.count > 2 { out.line("      … and \(surprise.rows.count - 2) more") }
            }
            if !digest.campaignFieldRows.isEmpty {
                out.line("  \(digest.campaignFieldRows.count) × carry Campaign_ID, which is not a Contacts field: the upsert puts nobody in the campaign.")
                out.line("      Membership is a related-records call: PUT /crm/v8/Campaigns/{campaign_id}/Contacts (step 6).")
            }

            out.section("5. What an undocumented behaviour would change")
            for assignment in ["recycle_bin_counts=true", "match=unicode"] {
                out.command(shell.line(["replay", shell.path(batch), "--module", "Contacts", "--as-of", Timestamps.format(asOf), "--set", assignment]))
                var other = settings
                try other.apply(assignment: assignment)
                let then = try replay([batch.path], replica, other, asOf: asOf)
                let change = BatchDigest.changes(from: items, to: then.requests.flatMap(\.items), assignment: assignment, field: "Email")
                out.line("  With \(assignment): \(summary(then.tally)); \(change.rows.count) row\(change.rows.count == 1 ? "" : "s") change.")
                for (row, verdict) in change.rows.prefix(3) {
                    out.line("      row \(row.index) \(Matching.visible(row.value)): \(short(row.verdict)) → \(short(verdict))")
                }
                if change.rows.count > 3 { out.line("      … and \(change.rows.count - 3) more") }
            }

            let members = samples.membershipRequests
            let membership = try replay([members.path], replica, settings, asOf: asOf)
            out.section("6. Put the contacts in the campaign")
            out.command(shell.line(["replay", shell.path(members), "--as-of", Timestamps.format(asOf)]))
            for request in membership.requests {
                out.line("  \(request.input.request.method) \(request.input.request.path): " + summary(request.tally))
                for item in request.items where item.result.code != .success || item.result.message == "relation updated" {
                    out.line("      \(item.result.code.rawValue) \(item.result.message): \(item.result.reason)")
                }
            }
            try verifyUnchanged(database, counts: counts)

            out.section("Next: ask your own questions")
            if db == nil { out.command("crm-replica demo --db demo.sqlite", note: "keeps the replica that the commands above and below use") }
            let example = digest.failures.first?.rows.first?.value ?? "someone@example.com"
            out.command(shell.line(["why", example]))
            out.command(shell.line(["replay", shell.path(batch), "--module", "Contacts", "--as-of", Timestamps.format(asOf), "--explain"]))
            out.line("  On your own org, load its exports the same way (the CSV or JSON exports, the `settings/fields`")
            out.line("  answers, the deleted-records list) into a new replica, and replay the batch that failed.")
            if location == .embedded {
                out.line("  (The sample files above were written to a temporary folder; a checkout of the repository has them in Samples/.)")
            }
            print(out.text, terminator: "")
        }
    }

    private func replay(_ paths: [String], _ replica: ReplicaService, _ settings: Settings, asOf: Date) throws -> ReplayReport {
        var options = ReadOptions()
        options.endpoint = "POST /crm/v8/Contacts/upsert"
        let input = try ReplayReader(options: options, store: RecordStore(db: replica.db)).read(paths: paths)
        return try Replayer(replica: replica, settings: settings, asOf: asOf, now: { asOf }).run(input, commit: false, explain: true)
    }

    /// The demo replays are dry runs: the replica must be exactly as loaded afterwards.
    private func verifyUnchanged(_ db: Database, counts: ReplicaCounts) throws {
        guard try ReplicaCounts(db: db) == counts else { throw DemoError.replicaChanged }
    }

    private func summary(_ tally: Tally) -> String {
        var parts = ["\(tally.added) added", "\(tally.updated) updated"]
        parts += tally.otherSuccesses.map { "\($0.count) \($0.name)" }
        parts.append("\(tally.failed) failed" + (tally.failures.isEmpty ? "" : " (" + tally.failureList + ")"))
        return parts.joined(separator: ", ")
    }

    private func describe(_ row: BatchDigest.Row) -> String {
        let head = "row \(row.index) \(Matching.visible(row.value)): "
        guard row.verdict.outcome.isSuccess, let holder = row.evidence else { return head + row.verdict.reason }
        let place = holder.location == .live ? "" : " (\(holder.location.name))"
        let because = holder.whyNotCounted.map { ": \($0.text)" } ?? ""
        return head + "\(holder.module.singular) \(holder.recordID)\(place) holds \(holder.field) `\(Matching.visible(holder.storedValue))`\(because)"
    }

    private func short(_ verdict: Verdict) -> String {
        let outcome = verdict.outcome
        if outcome.isSuccess { return "\(outcome.action?.rawValue ?? "success")" + (outcome.recordID.map { " \($0)" } ?? "") }
        return outcome.code.rawValue + (outcome.recordID.map { " (\($0))" } ?? "")
    }
}

enum DemoError: Error, CustomStringConvertible {
    case existingDatabase(String)
    case replicaChanged

    var description: String {
        switch self {
        case .existingDatabase(let path): return "\(path) already exists; the demo builds a fresh replica, so pass a new --db path (or none for a temporary one)"
        case .replicaChanged: return "a dry-run replay changed the replica; this is a bug in crm-replica"
        }
    }
}

/// The demo's output, built up section by section.
struct DemoText {
    private(set) var text = ""
    mutating func title(_ line: String) { text += line + "\n" }
    mutating func section(_ line: String) { text += "\n" + line + "\n" }
    mutating func line(_ line: String) { text += line + "\n" }
    /// A command the reader can copy: alone on its line after `$ `.
    mutating func command(_ command: String, note: String? = nil) {
        text += "  $ " + command + (note.map { "   # " + $0 } ?? "") + "\n"
    }

    /// Rows of cells as aligned columns, each as wide as its widest cell.
    static func columns(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}

/// The command lines the demo prints: the samples by a path relative to the working directory
/// when they are under it, and the replica the user keeps.
struct DemoCommands {
    let db: String
    let root: URL

    func path(_ url: URL) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        let full = url.standardizedFileURL.path
        return full.hasPrefix(here) ? String(full.dropFirst(here.count)) : full
    }

    func line(_ arguments: [String]) -> String {
        (["crm-replica"] + arguments + ["--db", db]).map(Self.quoted).joined(separator: " ")
    }

    /// Shell quoting for a word that needs it; `*` stays bare so the shell expands it.
    static func quoted(_ word: String) -> String {
        let plain = word.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "-_./:=@+*,".utf8.contains(byte)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self + " " : padding(toLength: width, withPad: " ", startingAt: 0) }
}
