import Foundation
import Persistence
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The tests that run a large load or replay in another process. Serialized, so that on a
/// 2-core machine they do not slow each other down; sizes are modest (tens of MB).
@Suite("Crash safety and concurrency", .serialized)
struct HeavyTests {
    /// Rows of the large generated export: enough for a load that runs for seconds in a debug
    /// build, so that it can be killed, or read beside, part-way.
    static let bigRows = 300_000
    /// The WAL size at which a load or replay counts as well under way (its one transaction has
    /// written tens of thousands of rows) and is killed.
    static let walThreshold = 16 << 20

    /// A workspace with the small org loaded and a large Contacts export next to it.
    static func orgWithBigFile(contacts: Bool = true) throws -> (Workspace, big: String, before: DatabaseDump) {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace, contacts: contacts)
        let big = workspace.directory.appendingPathComponent("Contacts_big.csv")
        try writeContactsCSV(big, rows: bigRows)
        return (workspace, big.path, try DatabaseDump(path: workspace.database))
    }

    /// Waits until `command` has written `threshold` bytes of WAL (its transaction is under way)
    /// or has ended; true when it is still running.
    static func waitUntilUnderWay(_ command: RunningCommand, _ workspace: Workspace, threshold: Int = walThreshold) -> Bool {
        waitUntil(timeout: 300) { !command.isRunning || workspace.walSize >= threshold }
        return command.isRunning
    }

    // MARK: Crash safety

    /// SIGKILL in the middle of a large load: the file is sound, none of the big file's rows
    /// are there (one transaction per file), and the earlier content is exactly as it was,
    /// schema included. Into a Contacts table that holds rows (the merge path) and into an
    /// empty one (the bulk path, which drops the indexes and builds them again at the end).
    @Test(arguments: [true, false])
    func aLoadKilledPartWayLoadsNothingAndKeepsEverythingElse(contactsBefore: Bool) throws {
        let (workspace, big, before) = try Self.orgWithBigFile(contacts: contactsBefore)
        let load = try workspace.start(["load", big, "--quiet"])
        let underWay = Self.waitUntilUnderWay(load, workspace)
        load.kill(SIGKILL)
        let outcome = load.wait()
        #expect(underWay && outcome.signalled && outcome.status == SIGKILL,
                "the load ended before it could be killed part-way (WAL \(workspace.walSize) bytes; does it still run in one transaction?): \(outcome)")

        #expect(try integrityCheck(workspace.database) == "ok")
        let after = try DatabaseDump(path: workspace.database)
        let contacts = after.count("contacts")
        #expect(contacts == before.count("contacts") || contacts == before.count("contacts") + Self.bigRows,
                "\(contacts) contacts: part of the file was committed")
        if contacts == before.count("contacts") {
            #expect(after == before, "the killed load changed \(after.differences(from: before))")
        }
        // The replica is usable: it answers and takes the next load.
        #expect(try stats(workspace)?["Contacts"] == contacts)
        let next = try workspace.write("Contacts_next.csv", "Record Id,Last Name\n5725767000000524180,Ng\n")
        try workspace.succeed(["load", next])
        #expect(try stats(workspace)?["Contacts"] == contacts + 1)
    }

    /// SIGKILL in the middle of a large `replay --commit`: the same all-or-nothing.
    @Test func aReplayCommitKilledPartWayWritesNothing() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let before = try DatabaseDump(path: workspace.database)
        let requests = 1_000, perRequest = 100
        let log = workspace.directory.appendingPathComponent("requests.ndjson")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        for request in 0..<requests {
            let records = (0..<perRequest).map { n -> String in
                let k = request * perRequest + n
                return #"{"Last_Name":"Replayed\#(k)","Email":"replayed\#(k)@example.com"}"#
            }
            try handle.write(contentsOf: Data((#"{"method":"POST","path":"/crm/v8/Contacts","body":{"data":["#
                                               + records.joined(separator: ",") + "]}}\n").utf8))
        }
        try handle.close()

        let replay = try workspace.start(["replay", log.path, "--commit", "--quiet"])
        let underWay = Self.waitUntilUnderWay(replay, workspace, threshold: 8 << 20)
        replay.kill(SIGKILL)
        let outcome = replay.wait()
        #expect(underWay && outcome.signalled, "the replay ended before it could be killed part-way: \(outcome)")

        #expect(try integrityCheck(workspace.database) == "ok")
        let after = try DatabaseDump(path: workspace.database)
        let contacts = after.count("contacts")
        #expect(contacts == before.count("contacts") || contacts == before.count("contacts") + requests * perRequest,
                "\(contacts) contacts: part of the replay was committed")
        if contacts == before.count("contacts") {
            #expect(after == before, "the killed replay changed \(after.differences(from: before))")
        }
    }

    // MARK: Concurrency

    /// While a large load runs in another process, `stats`, `show`, `why` and a dry-run
    /// `replay` answer at once, from the state committed before the load.
    @Test func readersAndADryRunAnswerWhileALoadRuns() throws {
        let (workspace, big, before) = try Self.orgWithBigFile()
        let batch = try workspace.write("batch.json", #"{"data":[{"Last_Name":"Lee","Email":"ANN@example.com"},{"Last_Name":"Ng","Email":"person5@example.com"}]}"#)
        let load = try workspace.start(["load", big, "--quiet"])
        defer { load.kill(SIGKILL); _ = load.wait() }
        #expect(Self.waitUntilUnderWay(load, workspace, threshold: 4 << 20), "the load ended too soon to read beside it")

        let counts = try stats(workspace)
        #expect(counts == ["Contacts": 3, "Leads": 1, "Campaigns": 1, "campaign_members": 1, "recycle_bin": 1])

        let show = try workspace.run(["show", "5725767000000524157", "--json"])
        #expect(show.status == 0 && show.stdout.contains("ann@example.com"), "\(show)")

        let why = try workspace.run(["why", "ann@example.com", "--json"])
        #expect(why.status == 0, "\(why)")
        let verdict = why.json?["verdict"] as? [String: Any]
        #expect(verdict?["code"] as? String == "SUCCESS" && verdict?["action"] as? String == "update", "\(why)")
        #expect(verdict?["record_id"] as? String == "5725767000000524157", "\(why)")

        // person5@ is in the big file, not yet committed: the dry run must not see it.
        let replay = try workspace.run(["replay", batch, "--module", "Contacts", "--json"])
        #expect(replay.status == 0, "a dry run must answer while a load runs: \(replay)")
        let items = (replay.json?["data"] as? [[String: Any]]) ?? []
        #expect(items.count == 2, "\(replay)")
        #expect(items.first?["action"] as? String == "update", "\(replay)")
        #expect(((items.first?["details"] as? [String: Any])?["id"] as? String) == "5725767000000524157", "\(replay)")
        #expect(items.last?["action"] as? String == "insert", "the dry run saw the load's uncommitted rows: \(replay)")

        // why --batch replays the batch's earlier rows in a dry run too.
        let whyBatch = try workspace.run(["why", "person5@example.com", "--batch", batch, "--row", "1", "--json"])
        #expect(whyBatch.status == 0, "why --batch must answer while a load runs: \(whyBatch)")
        let batchVerdict = whyBatch.json?["verdict"] as? [String: Any]
        #expect(batchVerdict?["action"] as? String == "insert", "why --batch saw the load's uncommitted rows: \(whyBatch)")

        #expect(load.isRunning, "the load finished while the readers ran: they did not run beside it")
        load.kill(SIGKILL)
        _ = load.wait()
        #expect(try integrityCheck(workspace.database) == "ok")
        try expectUnchanged(workspace.database, since: before, "readers and a dry run beside a killed load")
    }

    /// A second writer while a large load runs: it waits for the lock and then either succeeds
    /// or gives up with "database is busy" (exit 2); either way nothing is corrupted.
    @Test func aSecondWriterWaitsOrSaysTheDatabaseIsBusy() throws {
        let (workspace, big, _) = try Self.orgWithBigFile()
        let small = try workspace.write("Contacts_small.csv", "Record Id,Last Name\n5725767000000524181,Second\n")
        // The second writers run one after another, each waiting up to its busy timeout; the
        // load may finish meanwhile, and then the later ones simply proceed.
        let batch = try workspace.write("batch.json", #"{"data":[{"Last_Name":"Third","Email":"third@example.com"}]}"#)
        let load = try workspace.start(["load", big, "--quiet"])
        defer { load.kill(SIGKILL); _ = load.wait() }
        #expect(Self.waitUntilUnderWay(load, workspace, threshold: 4 << 20), "the load ended too soon to write beside it")

        var wrote: [String: Bool] = [:]
        for command in [["load", small], ["replay", batch, "--module", "Contacts", "--operation", "insert", "--commit"],
                        ["settings", "recycle_bin_counts", "true"]] {
            let outcome = try workspace.run(command)
            #expect(!outcome.signalled, "\(command): \(outcome)")
            if outcome.status == 0 {
                wrote[command[0]] = true
            } else {
                #expect(outcome.status == 2 && outcome.stderr.contains("database is busy"), "\(command): \(outcome)")
                wrote[command[0]] = false
            }
        }
        // Stop the first writer if it still runs: every write has now either happened or not.
        load.kill(SIGKILL)
        let first = load.wait()
        #expect(try integrityCheck(workspace.database) == "ok")
        let counts = try #require(try stats(workspace))
        // The big file is all there or not at all (it may have committed just before the kill).
        let extra = (wrote["load"] == true ? 1 : 0) + (wrote["replay"] == true ? 1 : 0)
        #expect(counts["Contacts"] == 3 + extra || counts["Contacts"] == 3 + Self.bigRows + extra, "\(counts), \(wrote), load: \(first)")
        if !first.signalled { #expect(first.status == 0 && counts["Contacts"] == 3 + Self.bigRows + extra, "\(first)") }
        let settings = try workspace.succeed(["settings", "recycle_bin_counts"])
        #expect(settings.stdout.contains(wrote["settings"] == true ? "true" : "false"), "\(settings)")
    }

    /// The same two outcomes, made certain: another connection holds the write lock for the
    /// whole run of a writer (it gives up: busy, exit 2, nothing written), or releases it while
    /// the writer waits (the writer then succeeds).
    @Test func aWriterGivesUpWhenTheLockIsHeldAndProceedsWhenItIsReleased() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let small = try workspace.write("Contacts_small.csv", "Record Id,Last Name\n5725767000000524181,Second\n")
        let holder = try Database(path: workspace.database)

        try holder.execute("BEGIN IMMEDIATE")
        try holder.execute("UPDATE settings SET value = value")   // a write in progress
        let before = try DatabaseDump(path: workspace.database)
        let refused = try workspace.run(["load", small])
        #expect(refused.status == 2 && !refused.signalled, "\(refused)")
        #expect(refused.stderr.contains("database is busy") && refused.stderr.contains(small), "\(refused)")
        try holder.execute("ROLLBACK")
        try expectUnchanged(workspace.database, since: before, "a refused second writer")

        try holder.execute("BEGIN IMMEDIATE")
        let waiting = try workspace.start(["load", small])
        usleep(300_000)   // ordering only: the writer is (most likely) waiting on the lock now
        try holder.execute("COMMIT")
        let proceeded = waiting.wait()
        #expect(proceeded.status == 0, "the writer did not proceed once the lock was free: \(proceeded)")
        #expect(try stats(workspace)?["Contacts"] == 4)
        #expect(try integrityCheck(workspace.database) == "ok")
    }
}
