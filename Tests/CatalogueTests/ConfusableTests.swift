import Catalogue
import Foundation
import Persistence
import Storage
import Testing

/// The look-alike step of the near-miss key (UTS #39 skeletons of non-ASCII characters), and
/// the re-keying of a replica whose keys were computed before it.
@Suite("Matching: Unicode look-alikes")
struct ConfusableTests {
    static let cyrillicA = "\u{0430}"

    @Test func skeletonReplacesNonASCIILookAlikesByWhatTheyImitate() {
        #expect(Matching.skeleton("wei.meyer@ex\(Self.cyrillicA)mple.net") == "wei.meyer@example.net")
        #expect(Matching.skeleton("j\u{03BF}hn@example.com") == "john@example.com", "Greek omicron")
        #expect(Matching.skeleton("\u{0440}\u{0430}ypal.com") == "paypal.com", "Cyrillic р and а")
        // A look-alike whose prototype is an upper-case ASCII letter is lower-cased with the rest.
        #expect(Matching.skeleton("\u{13A0}ave") == "dave", "Cherokee Ꭰ looks like D")
    }

    /// The table's first and last lines and a prototype of several characters are read whole
    /// (the table is parsed byte by byte; a slip at a line end would lose or merge mappings).
    @Test func theWholeTableIsRead() {
        #expect(Matching.skeleton("\u{2FA1D}") == "\u{2A600}", "the last line")
        #expect(Matching.skeleton("\u{2FA1C}") == "\u{9F3B}", "the line before it")
        #expect(Matching.skeleton("a\u{00C6}b") == "aaeb", "Æ imitates AE, lower-cased with the rest")
        #expect(Matching.skeleton("\u{00D7}") == "x", "×")
    }

    /// ASCII is never mapped, although UTS #39 maps 1 and I to l, 0 to O and m to rn.
    @Test(arguments: ["user1@example.com", "userl@example.com", "0ne@example.com", "modern@example.com", "", "I|l"])
    func asciiTextIsItsOwnSkeleton(text: String) {
        #expect(Matching.sameBytes(Matching.skeleton(text), text))
    }

    /// Non-ASCII characters that imitate nothing stay, and the text stays composed.
    @Test func lettersWithoutLookAlikesStayComposed() {
        let emile = "\u{E9}mile@example.com"
        #expect(Matching.sameBytes(Matching.skeleton(emile), emile))
        #expect(Matching.sameBytes(Matching.nearMissKey("\u{C9}mile@Example.com"), emile))
    }

    @Test func nearMissKeyFoldsCaseAndLookAlikesTogether() {
        #expect(Matching.nearMissKey("WEI.MEYER@EX\u{0410}MPLE.NET") == "wei.meyer@example.net", "Cyrillic capital А")
        #expect(Matching.nearMissKey(" wei.meyer@ex\(Self.cyrillicA)mple.net\u{00A0}") == "wei.meyer@example.net")
        // Greek capital Zeta imitates Z, though its small form ζ imitates nothing.
        #expect(Matching.nearMissKey("\u{0396}OE@EXAMPLE.COM") == "zoe@example.com")
        // A Cyrillic е with a combining acute is the Latin é it imitates, once recomposed.
        #expect(Matching.nearMissKey("caf\u{0435}\u{0301}@example.com") == Matching.nearMissKey("caf\u{E9}@example.com"))
    }

    /// The bulk loader's byte paths agree with the String path on look-alikes.
    @Test func bytePathsAgreeWithTheStringPath() {
        let value = "wei.meyer@ex\(Self.cyrillicA)mple.net"
        var key = [UInt8]()
        Array(value.utf8).withUnsafeBufferPointer { Matching.nearMissKey(utf8: $0, into: &key) }
        #expect(key == Array("wei.meyer@example.net".utf8))
        var stored = [UInt8]()
        let kept = Array(value.utf8).withUnsafeBufferPointer { Matching.storedKey(utf8: $0, into: &stored) }
        #expect(kept && stored == key, "a lower-case look-alike stores its key: the NOCASE index cannot find it")
        #expect(Matching.storedKey(value) == "wei.meyer@example.net")
        #expect(Matching.storedKey("wei.meyer@example.net") == nil)
    }

    @Test func classifyCallsAPairEqualOnlyAfterTheSkeletonConfusable() {
        let plain = "wei.meyer@example.net"
        #expect(Matching.classify(given: "wei.meyer@ex\(Self.cyrillicA)mple.net", stored: plain) == .confusable)
        #expect(Matching.classify(given: plain, stored: "Wei.Meyer@Ex\(Self.cyrillicA)mple.net ") == .confusable)
        #expect(Matching.classify(given: "user1@example.com", stored: "userl@example.com") == nil)
        // The older kinds keep their names.
        #expect(Matching.classify(given: plain, stored: plain + " ") == .whitespace)
        #expect(Matching.classify(given: "\u{E9}mile@x.com", stored: "\u{C9}mile@x.com") == .unicodeCase)
        #expect(Matching.classify(given: "\u{E9}mile@x.com", stored: "e\u{301}mile@x.com") == .normalization)
        #expect(Matching.classify(given: plain, stored: "wei.meyer\u{200B}@example.net") == .invisible)
        #expect(MatchKind.confusable.rawValue == "confusable")
        #expect(!MatchKind.confusable.isNocaseMatch)
    }

    @Test func lookAlikesNameTheCharactersAndWhatTheyImitate() {
        let found = Matching.lookAlikes(in: "wei.meyer@ex\(Self.cyrillicA)mple.n\u{0435}t")
        #expect(found.map(\.character) == ["\u{0430}", "\u{0435}"])
        #expect(found.map(\.looksLike) == ["a", "e"])
        #expect(Matching.lookAlikes(in: "wei.meyer@example.net").isEmpty)
    }

    // MARK: Re-keying a file of schema 2

    /// A replica file in a temporary directory (deleted afterwards) whose non-ASCII keys predate
    /// the look-alike step, as migration 003 leaves it: a contact, a recycle-bin row and a
    /// side-indexed value, each keyed by the older rule.
    final class OutdatedReplica {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("confusables-\(UUID().uuidString)")
        var path: String { directory.appendingPathComponent("replica.sqlite").path }

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try ConfusableTests.writeOutdatedRows(path)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    static func writeOutdatedRows(_ path: String) throws {
        let db = try Database(path: path)
        let old = "ng@ex\(cyrillicA)mple.org"
        try db.run("INSERT INTO contacts (id, Email, email_key, data) VALUES ('5725767000000100009', ?, NULL, '{}')", [.text(old)])
        try db.run("""
            INSERT INTO recycle_bin (id, module, Email, email_key, Campaign_Name, campaign_name_key)
            VALUES ('5725767000000100010', 'Contacts', ?, NULL, NULL, NULL)
            """, [.text(old.uppercased())])
        try db.run("""
            INSERT INTO field_values (module, record_id, location, field, value, value_key)
            VALUES ('Contacts', '5725767000000100009', 'live', 'Other_Email', ?, ?)
            """, [.text(old), .text(old)])
        try db.run("INSERT INTO replica_state (key, value) VALUES ('near_miss_keys_outdated', 1)")
    }

    @Test func aReadOnlyLookupRefusesOutdatedKeysAndAWritableOpenRecomputesThem() throws {
        let directory = try OutdatedReplica()
        let path = directory.path

        let reader = RecordStore(db: try Database(path: path, mode: .readOnly))
        #expect(try reader.hasOutdatedNearMissKeys())
        #expect(throws: StoreError.self) { try reader.checkNearMissKeys() }

        let writer = try Database(path: path)
        let store = RecordStore(db: writer)   // opening for writing recomputes
        #expect(try !store.hasOutdatedNearMissKeys())
        try store.checkNearMissKeys()
        #expect(try writer.scalarText("SELECT email_key FROM contacts WHERE id = '5725767000000100009'") == "ng@example.org")
        #expect(try writer.scalarText("SELECT email_key FROM recycle_bin WHERE id = '5725767000000100010'") == "ng@example.org")
        #expect(try writer.scalarText("SELECT value_key FROM field_values WHERE record_id = '5725767000000100009'") == "ng@example.org")
        // The note is gone for every later connection, read-only ones included.
        try RecordStore(db: try Database(path: path, mode: .readOnly)).checkNearMissKeys()
    }

    /// Inside a transaction (a dry run) the keys are recomputed for it, and rolled back with it.
    @Test func aDryRunRecomputesForItselfOnly() throws {
        let directory = try OutdatedReplica()
        let path = directory.path
        let db = try Database(path: path)
        try db.dryRun {
            let store = RecordStore(db: db)
            try store.checkNearMissKeys()
            #expect(try db.scalarText("SELECT email_key FROM contacts WHERE id = '5725767000000100009'") == "ng@example.org")
        }
        #expect(try db.scalarText("SELECT email_key FROM contacts WHERE id = '5725767000000100009'") == nil)
        #expect(try RecordStore(db: try Database(path: path, mode: .readOnly)).hasOutdatedNearMissKeys())
    }

    /// A new replica has nothing to re-key, and migration 003 leaves no note in it.
    @Test func aNewReplicaHasNoOutdatedKeys() throws {
        let db = try Database(path: ":memory:")
        #expect(try !RecordStore(db: db).hasOutdatedNearMissKeys())
        #expect(try db.scalarInt("SELECT count(*) FROM replica_state") == 0)
    }
}
