import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Many clients at once: one writer, every answer true to what was kept.
@Suite("serve: concurrency and shutdown", .serialized)
struct ServeConcurrencyTests {
    /// 8 clients × 200 one-record upserts over 800 emails (each email sent twice, by different
    /// clients): exactly one add and one update per email, and the replica holds what the answers added.
    @Test func concurrentUpsertsEndWithExactlyTheRecordsTheAnswersAdded() async throws {
        let workspace = try ServeWritesTests.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let answers = try await withThrowingTaskGroup(of: [ServedReplica.Answer].self) { group in
            for client in 0..<8 {
                group.addTask {
                    var mine: [ServedReplica.Answer] = []
                    for request in 0..<200 {
                        let email = "p\((client * 200 + request) % 800)@example.com"
                        mine.append(try await server.send("POST", "/crm/v8/Contacts/upsert",
                                                          body: ServeWritesTests.upsert(#"{"Last_Name":"C\#(client)","Email":"\#(email)"}"#)))
                    }
                    return mine
                }
            }
            var all: [ServedReplica.Answer] = []
            for try await mine in group { all += mine }
            return all
        }
        #expect(answers.count == 1600)
        let actions = answers.compactMap { $0.items.first?["action"] as? String }
        #expect(actions.filter { $0 == "insert" }.count == 800)
        #expect(actions.filter { $0 == "update" }.count == 800)
        let addedIDs = Set(answers.filter { $0.items.first?["action"] as? String == "insert" }
            .compactMap { ($0.items.first?["details"] as? [String: Any])?["id"] as? String })
        #expect(addedIDs.count == 800)
        let dump = try DatabaseDump(path: workspace.database)
        #expect(dump.count("contacts") == 3 + 800)
        for id in addedIDs.prefix(20) {
            #expect(dump.tables["contacts"]?.contains { $0.contains(id) } == true)
        }
    }

    /// SIGTERM and SIGINT let the requests in flight finish, then close the database: its WAL is
    /// checkpointed and removed, as after any other command.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalStopsCleanly(_ signal: Int32) async throws {
        let workspace = try ServeWritesTests.org()
        let server = try ServedReplica(workspace)
        let added = try await server.send("POST", "/crm/v8/Contacts", body: #"{"data":[{"Last_Name":"T","Email":"term@example.com"}]}"#)
        #expect(added.status == 201)
        server.command.kill(signal)
        let ended = server.command.wait(timeout: 60)
        #expect(ended.status == 0 && !ended.signalled, "\(ended)")
        #expect(try DatabaseDump(path: workspace.database).count("contacts") == 4)
        #expect(workspace.walSize == 0, "the database was closed: its WAL checkpointed and removed")
    }
}
