import Foundation
import Ingest
import SampleData
import Testing

@Suite("Samples: the generator")
struct GeneratorTests {
    /// Every file a generator run wrote, name → bytes.
    private func generate(seed: UInt64, contacts: Int, leads: Int, into replica: Replica, _ name: String) throws -> [String: [UInt8]] {
        let folder = replica.directory.appendingPathComponent(name)
        let names = try SampleGenerator(seed: seed).write(contacts: contacts, leads: leads, to: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == names.sorted())
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try bytes(folder.appendingPathComponent($0))) })
    }

    @Test func theSameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws {
        let replica = try Replica()
        let first = try generate(seed: 7, contacts: 1_500, leads: 300, into: replica, "a")
        let again = try generate(seed: 7, contacts: 1_500, leads: 300, into: replica, "b")
        let other = try generate(seed: 8, contacts: 1_500, leads: 300, into: replica, "c")
        #expect(first.keys.sorted() == again.keys.sorted())
        for (name, content) in first { #expect(content == again[name], "\(name) differs between two runs with seed 7") }
        #expect(first[SampleOutput.contacts] != other[SampleOutput.contacts])
        #expect(first[SampleOutput.leadsPage] != other[SampleOutput.leadsPage])
    }

    @Test func itsOutputLoadsWithRealisticDuplicates() throws {
        let replica = try Replica()
        let folder = replica.directory.appendingPathComponent("org")
        let names = try SampleGenerator(seed: 1).write(contacts: 3_000, leads: 450, to: folder)
        let reports = try replica.load(names.sorted().map { folder.appendingPathComponent($0) })
        #expect(reports.count == names.count)
        let live = try replica.count("SELECT count(*) FROM contacts")
        let binned = try replica.count("SELECT count(*) FROM recycle_bin WHERE data IS NOT NULL")
        #expect(live + binned + (try replica.count("SELECT count(*) FROM recycle_bin WHERE data IS NULL")) == 3_000)
        #expect(binned > 0)
        #expect(try replica.count("SELECT count(*) FROM leads") == 450)
        #expect(try replica.count("SELECT count(*) FROM campaign_members") > 0)
        // About 1% of contacts share an address with another in other letter case.
        let caseTwins = try replica.count("""
            SELECT count(*) FROM contacts a JOIN contacts b ON a.Email = b.Email COLLATE NOCASE AND a.id < b.id AND a.Email <> b.Email
            """)
        #expect((10...60).contains(caseTwins), "\(caseTwins) case twins")
        let nearMisses = try replica.count("""
            SELECT count(*) FROM contacts a JOIN contacts b ON coalesce(a.email_key, lower(a.Email)) = coalesce(b.email_key, lower(b.Email)) AND a.id < b.id AND NOT a.Email = b.Email COLLATE NOCASE
            """)
        #expect(nearMisses > 0)
    }

    @Test func manyLeadsGoToNDJSON() throws {
        let replica = try Replica()
        let folder = replica.directory.appendingPathComponent("org")
        let names = try SampleGenerator(seed: 3).write(contacts: 10, leads: 2_001, to: folder)
        #expect(names.contains("Leads.ndjson") && !names.contains { $0.hasPrefix("Leads_0") })
        try replica.load(names.sorted().map { folder.appendingPathComponent($0) })
        #expect(try replica.count("SELECT count(*) FROM leads") == 2_001)
    }

    @Test func badCountsAreRefused() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString)")
        #expect(throws: SampleError.self) { try SampleGenerator(seed: 1).write(contacts: 0, leads: 0, to: folder) }
        #expect(throws: SampleError.self) { try SampleGenerator(seed: 1).write(contacts: 5, leads: -1, to: folder) }
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}

/// Names of generated files the tests compare.
private enum SampleOutput {
    static let contacts = "Contacts_2026_11_20.csv"
    static let leadsPage = "Leads_001.json"
}
