@testable import Catalogue
import Formats
import Foundation
import Persistence
@testable import Storage
import Testing
@testable import Engine

/// `RecordStore.deferWrites` (what `replay` runs with) must give exactly the answers of writing
/// every record straight into SQLite: the same items, verdicts and evidence, and after `flush`
/// the same database. Each test replays one script of calls on two identical orgs, one writing
/// through and one deferring, under every setting that changes which holders count.
struct DeferredWriteTests {
    static let ann = "5725767000000100001"
    static let bob = "5725767000000100002"
    static let bobToo = "5725767000000100003"
    static let gone = "5725767000000500001"
    /// Holds a precomposed é; the script also sends the decomposed e + U+0301, which Swift's
    /// `String ==` calls equal and SQLite does not.
    static let emile = "5725767000000100004"

    /// The org every script starts from: Phone and a custom Member_Number unique (one a key
    /// column, one side-indexed), two Contacts sharing an email, a bin row, and the Leads
    /// preference mapping Email to Contacts.
    static func org() throws -> Org {
        let org = try Org()
        try org.makeUnique("Phone")
        try org.addCustomUniqueField("Member_Number")
        try org.mapLeadEmailToContacts()
        try org.contact(ann, email: "ann@example.com", phone: "+1 555 0001", created: "2024-01-01T00:00:00+00:00")
        try org.contact(bob, email: "bob@example.com", created: "2024-02-01T00:00:00+00:00")
        try org.contact(bobToo, email: "Bob@Example.com", created: "2024-03-01T00:00:00+00:00")
        try org.binned(gone, email: "gone@example.com")
        try org.contact(emile, email: "\u{e9}mile@example.com", created: "2024-04-01T00:00:00+00:00")
        return org
    }

    static func call(_ method: String, _ target: String, _ body: String? = nil) throws -> APIRequest {
        APIRequest(method: method, target: target, body: try body.map { try JSON.parse($0) })
    }

    /// The script's calls in order; nil where a call needs an earlier answer (`dependentCall`).
    static func calls() throws -> [APIRequest?] {
        [
            try call("POST", "/crm/v8/Contacts/upsert", """
                {"data":[
                  {"Last_Name":"N1","Email":"new1@example.com","Phone":"+1 555 1001","Member_Number":"M-1"},
                  {"Last_Name":"N1b","Email":"NEW1@example.com"},
                  {"Last_Name":"N2","Email":" new2@example.com"},
                  {"Last_Name":"N2b","Email":"new2@example.com"},
                  {"Last_Name":"Z","Email":"zw\\u200b@example.com"},
                  {"Last_Name":"Z2","Email":"zw@example.com"},
                  {"Last_Name":"Ann","Email":"ann@example.com","Phone":"+1 555 0001"},
                  {"Last_Name":"Bob","Email":"bob@example.com"},
                  {"Last_Name":"G","Email":"gone@example.com"},
                  {"Last_Name":"Emile","Email":"\\u00e9mile@example.com"},
                  {"Last_Name":"Emile decomposed","Email":"e\\u0301mile@example.com"}
                ]}
                """),
            try call("POST", "/crm/v8/Contacts", """
                {"data":[
                  {"Last_Name":"M","Email":"m@example.com","Member_Number":"m-1"},
                  {"Last_Name":"P","Email":"p@example.com","Phone":"+1 555 1001"},
                  {"Last_Name":"Q","Email":"q@example.com","Phone":"+1 555 1002","Member_Number":"Q-1"}
                ]}
                """),
            try call("PUT", "/crm/v8/Contacts", #"{"data":[{"id":"\#(ann)","Email":"ann.new@example.com","Member_Number":"A-1"}]}"#),
            try call("POST", "/crm/v8/Contacts/upsert", """
                {"data":[
                  {"Last_Name":"Ann again","Email":"ann@example.com"},
                  {"Last_Name":"Ann new","Email":"ANN.NEW@example.com"},
                  {"Last_Name":"By number","Email":"other@example.com","Member_Number":"a-1"}
                ],"duplicate_check_fields":["Member_Number","Email"]}
                """),
            try call("POST", "/crm/v8/Leads/upsert", #"{"data":[{"Last_Name":"L","Email":"new1@example.com"}]}"#),
            try call("POST", "/crm/v8/Leads", #"{"data":[{"Last_Name":"L2","Email":"NEW1@example.com"},{"Last_Name":"L3","Email":"lead@example.com"}]}"#),
            nil,
            try call("POST", "/crm/v8/Contacts/upsert", #"{"data":[{"Last_Name":"Again","Email":"new1@example.com"}]}"#),
            nil,
            try call("POST", "/crm/v8/Contacts/upsert", #"{"data":[{"Last_Name":"Once more","Email":"NEW1@EXAMPLE.COM","Phone":"+1 555 1002"}]}"#),
            // Row 0 finds Ann by Phone and changes her Email and Member_Number; under snapshot
            // rows 1 and 2 still find her by the old ones (Member_Number is side-indexed), and
            // row 3 does not find her by the new Email.
            try call("POST", "/crm/v8/Contacts/upsert", """
                {"data":[
                  {"Last_Name":"Ann moved","Email":"ann.moved@example.com","Phone":"+1 555 0001","Member_Number":"A-2"},
                  {"Last_Name":"Ann old email","Email":"ANN.NEW@example.com"},
                  {"Last_Name":"Ann old number","Email":"fresh@example.com","Member_Number":"a-1"},
                  {"Last_Name":"Ann new email","Email":"ann.moved@example.com"}
                ],"duplicate_check_fields":["Phone","Email"]}
                """),
        ]
    }

    /// Deletes, then restores, the first record the script created (read from its answer).
    static func dependentCall(_ position: Int, _ results: [APIResult]) throws -> APIRequest {
        let created = results[0].items[0].verdict?.outcome.recordID ?? "none"
        return position == 6
            ? try call("DELETE", "/crm/v8/Contacts?ids=\(created)")
            : try call("POST", "/crm/v8/settings/recycle_bin/\(created)/actions/restore")
    }

    /// The record calls of the script, parsed, as a replay hands them to the read-ahead.
    static func recordCalls() throws -> [(index: Int, request: RecordsRequest)] {
        try calls().enumerated().compactMap { index, call in
            guard let call, case .records(let module, let operation, let id) = Route.of(call) else { return nil }
            return (index, try RecordsRequest.parse(call.body, module: module, operation: operation, pathID: id))
        }
    }

    static func script(_ session: Session, depth: EvidenceDepth = .full) throws -> [APIResult] {
        var results: [APIResult] = []
        for (position, call) in try calls().enumerated() {
            session.advanceReadAhead(to: position)
            results.append(try session.handle(call ?? dependentCall(position, results), depth: depth))
        }
        return results
    }

    /// What a front end can show of a result: the envelope, and per item its verdict with the
    /// evidence as a set (the order of equal holders is the index's, not part of the answer).
    static func shown(_ result: APIResult) -> [String] {
        var lines = ["\(result.status) \(JSON.write(result.body))"]
        for item in result.items {
            guard let verdict = item.verdict else { continue }
            lines.append("\(verdict.module) \(verdict.operation) \(verdict.row) \(verdict.outcome) | \(verdict.reason) | "
                         + "\(verdict.notes) | \(String(describing: verdict.written)) | \(verdict.alternatives)")
            lines += verdict.candidates.map { "\($0)" }.sorted()
        }
        return lines
    }

    static func session(_ org: Org, _ assignments: [String]) throws -> Session {
        var settings = Settings()
        for assignment in assignments { try settings.apply(assignment: assignment) }
        return Session(db: org.db, settings: settings, asOf: Org.now, now: { Org.now })
    }

    static func compare(settings: [String], limit: Int?, readAhead: Bool = false, depth: EvidenceDepth = .full) throws {
        let direct = try org()
        let expected = try script(session(direct, settings), depth: depth).flatMap(shown)

        let deferred = try org()
        let session = try session(deferred, settings)
        session.store.deferWrites = true
        if let limit { session.store.pendingLimit = limit }
        if readAhead {
            // Everything is read before the script runs, so that the answers are the read-ahead's.
            try session.startReadAhead(recordCalls(), nearMiss: depth == .full, window: .max / 2)
            session.readAhead?.waitUntilRead()
        }
        let answers = try script(session, depth: depth).flatMap(shown)
        if readAhead {
            #expect(session.readAhead?.served ?? 0 > 0)
            session.stopReadAhead()
        }
        try session.store.flush()
        session.store.deferWrites = false

        #expect(answers.count == expected.count)
        for (index, (got, want)) in zip(answers, expected).enumerated() where got != want {
            Issue.record("line \(index) differs with \(settings):\n  deferred: \(got)\n  direct:   \(want)")
            break
        }
        #expect(try deferred.dump() == direct.dump())
    }

    static let settings: [[String]] = [
        [], ["match=unicode"], ["batch_visibility=snapshot"], ["multi_match=oldest"], ["recycle_bin_counts=true"],
        ["cross_module_on_upsert=true"], ["match=unicode", "batch_visibility=snapshot", "recycle_bin_counts=true"],
    ]

    @Test(arguments: settings)
    func deferredAnswersAreTheDirectOnes(settings: [String]) throws {
        try Self.compare(settings: settings, limit: nil)
    }

    /// Lookups read ahead on a second connection give the same answers, at the replay's depth
    /// and at `--explain`'s; a delete or restore (which writes SQLite) stops them being used, or
    /// the record restored would be missed; and two values Swift calls equal (é and e + U+0301)
    /// are two lookups, or the first would take the second's answer.
    @Test(arguments: settings, [EvidenceDepth.full, .decision])
    func readAheadAnswersAreTheDirectOnes(settings: [String], depth: EvidenceDepth) throws {
        try Self.compare(settings: settings, limit: nil, readAhead: true, depth: depth)
    }

    /// Flushing part-way (the memory bound) changes nothing either.
    @Test(arguments: [1, 2, 5])
    func flushingPartWayChangesNothing(limit: Int) throws {
        try Self.compare(settings: ["match=unicode"], limit: limit)
    }

    /// A session dropped while its read-ahead waits for requests stops the read-ahead's thread
    /// (which would otherwise wait for ever, holding its connection).
    @Test func droppingTheSessionStopsTheReadAhead() throws {
        let org = try Self.org()
        weak var readAhead: ReadAhead?
        do {
            let session = try Self.session(org, [])
            session.store.deferWrites = true
            try session.startReadAhead(Self.recordCalls(), nearMiss: false, window: 0)
            readAhead = session.readAhead
            readAhead?.waitUntilRead()
            #expect(readAhead != nil)
        }
        // The thread lets go of the read-ahead as it returns, just after `stop` saw it finish.
        for _ in 0..<500 where readAhead != nil { Thread.sleep(forTimeInterval: 0.01) }
        #expect(readAhead == nil)
    }

    @Test func pendingRecordsAreInvisibleToSQLiteUntilFlushed() throws {
        let org = try Self.org()
        let before = try org.count("contacts")
        let session = try org.session()
        session.store.deferWrites = true
        let result = try session.handle(Self.call("POST", "/crm/v8/Contacts", #"{"data":[{"Last_Name":"N","Email":"n@example.com"}]}"#))
        let id = try #require(result.items.first?.verdict?.outcome.recordID)
        #expect(try org.count("contacts") == before)
        #expect(try session.store.find(module: .contacts, id: id)?.record.text("Email") == "n@example.com")
        session.store.discardPending()
        #expect(try session.store.find(module: .contacts, id: id) == nil)
        #expect(try org.count("contacts") == before)
    }

    /// The NOCASE index of the overlay folds ASCII only and compares bytes, as SQLite does:
    /// a non-ASCII case variant or a differently normalised value is a near miss, never a
    /// NOCASE match.
    @Test func overlayKeysCompareLikeSQLite() {
        #expect(PendingWrites.nocaseKey("Ann@Example.COM") == PendingWrites.nocaseKey("ann@example.com"))
        #expect(PendingWrites.nocaseKey("Ann@Example.COM") == .ascii("ann@example.com"))
        #expect(PendingWrites.nocaseKey("Émile@x.com") != PendingWrites.nocaseKey("émile@x.com"))
        #expect(PendingWrites.nocaseKey("ÉMILE@X.COM") == PendingWrites.nocaseKey("Émile@x.com"))
        #expect(PendingWrites.nocaseKey("e\u{301}@x.com") != PendingWrites.nocaseKey("\u{e9}@x.com"))
        #expect(PendingWrites.nocaseKey("a\u{200B}@x.com") != PendingWrites.nocaseKey("a@x.com"))
        for value in ["Ann@Example.COM", " ann@example.com", "ann\u{200B}@example.com", "ÉMILE@x.com", "ｆｕｌｌ@x.com"] {
            #expect(PendingWrites.keys(value).nocase == PendingWrites.nocaseKey(value))
            #expect(PendingWrites.keys(value).nearMiss == PendingWrites.Key(Matching.nearMissKey(value)))
        }
    }
}
