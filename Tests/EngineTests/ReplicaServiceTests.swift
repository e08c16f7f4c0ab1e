import Catalogue
import Engine
import Foundation
import Persistence
import Storage
import Testing

/// The policy every front end shares: which connection answers, which settings are in force,
/// what becomes of a unit of work's writes, and how a long-lived session stays current.
@Suite("Engine: the replica service")
struct ReplicaServiceTests {
    static func upsert(_ email: String) -> RecordsRequest {
        RecordsRequest(module: .contacts, operation: .upsert, records: [Record(fields: ["Last_Name": .string("New"), "Email": .string(email)])])
    }

    static func count(_ db: Database) throws -> Int { try db.scalarInt("SELECT count(*) FROM contacts") }

    @Test func aDryRunKeepsNothingAndACommitKeepsItsWritesAndItsLog() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "ann@example.com")
        let replica = ReplicaService(db: org.db)
        let session = replica.session(settings: try replica.settings(), asOf: Org.now, now: { Org.now })

        let dry = try replica.perform(session, commit: false, { try session.run(Self.upsert("new@example.com")) })
        #expect(dry.verdicts.first?.outcome.action == .insert)
        #expect(try Self.count(org.db) == 1)
        #expect(!session.store.deferWrites, "deferral ends with the unit of work")

        var logged = false
        _ = try replica.perform(session, commit: true, { try session.run(Self.upsert("new@example.com")) },
                                beforeCommit: { _ in logged = org.db.isInTransaction })
        #expect(logged, "the log is written inside the same transaction")
        #expect(try Self.count(org.db) == 2)
    }

    @Test func aFailureBeforeTheCommitLeavesNothing() throws {
        struct Refused: Error {}
        let org = try Org()
        let replica = ReplicaService(db: org.db)
        let session = replica.session(settings: Settings(), asOf: Org.now)
        #expect(throws: Refused.self) {
            try replica.perform(session, commit: true, { try session.run(Self.upsert("a@example.com")) },
                                beforeCommit: { _ in throw Refused() })
        }
        #expect(try Self.count(org.db) == 0)
    }

    @Test func overridesApplyOverStoredSettingsAndBadOnesAreRefused() throws {
        let org = try Org()
        try Settings.store(org.db, key: .match, value: "unicode")
        let replica = ReplicaService(db: org.db)
        let settings = try replica.settings(overrides: ["multi_match=oldest"])
        #expect(settings.match == .unicode && settings.multiMatch == .oldest)
        #expect(throws: SettingsError.self) { try replica.settings(overrides: ["match=fuzzy"]) }
    }

    /// While another process writes the file, a dry run reads a copy of the last committed state
    /// instead of waiting for the writer.
    @Test func aDryRunDuringAnotherWriterAnswersFromTheCommittedState() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "ann@example.com")
        let writer = try Database(path: org.db.path)
        try writer.execute("BEGIN IMMEDIATE")
        try writer.run("DELETE FROM contacts")
        defer { try? writer.execute("ROLLBACK") }
        let replica = try ReplicaService(path: org.db.path, access: .dryRun)
        #expect(try Self.count(replica.db) == 1)
        let session = replica.session(settings: Settings(), asOf: Org.now)
        let result = try replica.perform(session, commit: false, { try session.run(Self.upsert("ANN@example.com")) })
        #expect(result.verdicts.first?.outcome.action == .update)
    }

    @Test func aMissingFileIsNotCreatedForADryRun() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).sqlite").path
        #expect(throws: PersistenceError.readOnlyMissing(path: path)) { try ReplicaService(path: path, access: .dryRun) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A server's session lives for many requests: its clock follows each request, and what
    /// another process loads (field metadata, settings) is seen at the next one.
    @Test func aLongLivedSessionSeesAnotherProcesssChangesAtItsNextRequest() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "ann@example.com", phone: "+1 415 555 0100")
        let replica = try ReplicaService(path: org.db.path, access: .write)
        let session = replica.session(settings: try replica.settings(), asOf: Org.now)
        #expect(try replica.refresh(session, asOf: Org.now) == false)
        let before = try session.run(RecordsRequest(module: .contacts, operation: .insert,
                                                    records: [Record(fields: ["Last_Name": .string("B"), "Phone": .string("+1 415 555 0100")])]))
        #expect(before.verdicts.first?.outcome.code == .success, "Phone is not unique yet")
        try replica.db.execute("DELETE FROM contacts WHERE id NOT IN ('5725767000000100001')")

        // Another process makes Phone unique and stores a setting.
        let other = try Database(path: org.db.path)
        let phone = try #require(try RecordStore(db: other).catalogue(.contacts).field("Phone"))
        try FieldCatalogue.setUnique(other, module: .contacts, field: phone, unique: true)
        try RecordStore(db: other).reindexSideFields(module: .contacts)
        try Settings.store(other, key: .multiMatch, value: "oldest")

        let later = try #require(Timestamps.parse("2027-03-01T00:00:00+00:00"))
        #expect(try replica.refresh(session, asOf: later, overrides: ["match=unicode"]) == true)
        #expect(session.evaluator.asOf == later)
        #expect(session.settings.multiMatch == .oldest && session.settings.match == .unicode)
        let after = try session.run(RecordsRequest(module: .contacts, operation: .insert,
                                                   records: [Record(fields: ["Last_Name": .string("C"), "Phone": .string("+1 415 555 0100")])]))
        #expect(after.verdicts.first?.outcome.code == .duplicateData, "the new catalogue is read")
    }
}
