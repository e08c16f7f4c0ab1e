import Catalogue
import Formats
import Foundation
@testable import Ingest
import Persistence
import Storage
import Testing

/// The bulk path (`BulkWriter`) must leave exactly what loading record by record through
/// `RecordStore.put` leaves: the same rows, the same `data` bytes, the same counts, the same
/// indexes. These tests load files both ways and compare.
@Suite("Loader: bulk path")
struct BulkLoadTests {
    /// Values that exercise JSON escaping and the near-miss keys.
    static let tricky: [String] = [
        "", "plain", "say \"hi\"", #"back\slash"#, "tab\there", "line\nbreak", "cr\rlf\r\n", "\u{01}\u{1F}\u{7F}",
        "nul\u{0}byte", "\u{08}\u{0C}", "Émile", "ÉMILE@EXAMPLE.COM", "fay\u{200B}@example.com", "ann@example.com\u{00A0}",
        " padded ", "\u{00A0}", "日本語", "emoji 🎉", "e\u{301}", "/slash/", "Ａｂｃ", "İstanbul", "ß", "mixed ASCII@Example.COM",
    ]

    /// A CSV cell for `value`, quoted when needed.
    static func cell(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || value.hasPrefix(" ") || value.hasSuffix(" ")
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static let header = ["Record Id", "Contact Owner", "First Name", "Last Name", "Email", "Secondary Email", "Phone",
                         "Created Time", "Modified Time", "Description", "Customer Tier"]

    /// A UI export whose cells are the tricky values, with an id repeated (once unchanged, once
    /// changed), a `zcrm_` id, and a title line above the header.
    static func trickyExport() -> String {
        var rows = [["Contacts export"], header]
        for (index, value) in tricky.enumerated() {
            let id = String(5_725_767_000_000_900_000 + Int64(index))
            rows.append([index == 3 ? "zcrm_" + id : id, "Pat Boyle", value, "Last \(index)", value, index % 2 == 0 ? value : "",
                         "+1 555 \(index)", "2025-10-16T10:00:00+00:00", "2025-10-16T11:00:00+00:00", value, "Gold"])
        }
        rows.append(["5725767000000900001", "Pat Boyle", "plain", "Last 1", "plain", "", "+1 555 1",
                     "2025-10-16T10:00:00+00:00", "2025-10-16T11:00:00+00:00", "plain", "Gold"])   // same again: unchanged
        rows.append(["5725767000000900002", "Dana", "say \"hi\"", "Changed", "new@example.com", "", "+1 555 2",
                     "2025-10-16T10:00:00+00:00", "2025-10-17T11:00:00+00:00", "changed", "Silver"])   // changed: updated
        return csv(rows)
    }

    // MARK: The reference: record by record through `put`, as the loader did before the bulk path.

    /// Loads `path` the way every CSV row was loaded before `BulkWriter`: a `Record` per row,
    /// `RecordStore.put` per record, in one transaction.
    static func loadThroughPut(_ fixture: LoaderFixture, path: String, module: Module) throws -> Tally {
        let file = try InputFile(path: path)
        let detection = try FormatDetection.detect(file, options: LoadOptions(module: module))
        let store = RecordStore(db: fixture.db)
        return try fixture.db.write {
            var tally = Tally()
            var index = 0
            var map: ColumnMap?
            try CSVFile.read(try CSVFile.open(path), path: path) { view, line in
                defer { index += 1 }
                if index < detection.headerIndex { return true }
                guard let columns = map else {
                    let built = try ColumnMap.build(headers: view.strings, line: line, format: detection.format,
                                                    catalogue: try store.catalogue(module), path: path)
                    if !built.newFields.isEmpty {
                        try FieldCatalogue.storeExportFields(fixture.db, module: module, fields: built.newFields)
                        store.forgetCatalogues()
                    }
                    map = built
                    return true
                }
                var fields = JSONObject()
                for column in 0..<view.count { fields[columns.keys[column]] = .string(view.string(column)) }
                fields["id"] = .string(try #require(ExportID.normalize(view.string(columns.idColumn))))
                tally.count(try store.put(Record(fields: fields), module: module))
                return true
            }
            return tally
        }
    }

    /// Every table but the import log, as text (`LoaderFixture.dump`).
    static func sameContent(_ a: LoaderFixture, _ b: LoaderFixture) throws -> Bool {
        let left = try a.dump(), right = try b.dump()
        for (x, y) in zip(left, right) where x != y { Issue.record("first difference:\n  bulk: \(x)\n  put:  \(y)") ; break }
        return left == right
    }

    static func indexes(_ db: Database) throws -> [String] {
        try db.statement("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .rows { $0.text(0) ?? "" }
    }

    // MARK: Tests

    @Test func jsonTextIsByteIdenticalToJSONWrite() throws {
        // Every single byte value a CSV cell can hold (as part of valid UTF-8), then the tricky values.
        var values = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        values += Self.tricky
        values.append(String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self))
        for value in values {
            #expect(JSON.write(.string(value)) == Self.reference(value), "\(value.debugDescription)")
            #expect(JSONText.member(value) == Array((Self.reference(value) + ":").utf8))
        }
    }

    /// RFC 8259 escaping spelled out scalar by scalar: an oracle independent of the fast writer.
    static func reference(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func nearMissKeyFromBytesIsTheStringKey() throws {
        var key: [UInt8] = []
        for value in Self.tricky + ["ABC@Example.com", "a\tb", " x", "x ", "\u{200B}", "ＡＢＣ"] {
            var copy = value
            copy.withUTF8 { Matching.nearMissKey(utf8: $0, into: &key) }
            #expect(key == Array(Matching.nearMissKey(value).utf8), "\(value.debugDescription)")
        }
    }

    @Test func bulkLoadLeavesWhatPutLeaves() throws {
        let bulk = try LoaderFixture(), reference = try LoaderFixture()
        let text = Self.trickyExport()
        let path = try bulk.write("Contacts.csv", text)
        let report = try bulk.load(path)
        let expected = try Self.loadThroughPut(reference, path: try reference.write("Contacts.csv", text), module: .contacts)
        #expect(report.read == expected.read && report.inserted == expected.inserted
                && report.updated == expected.updated && report.unchanged == expected.unchanged)
        #expect(expected.updated == 1 && expected.unchanged == 1 && expected.inserted == Self.tricky.count)
        #expect(try Self.sameContent(bulk, reference))

        // `data` is byte for byte what `JSON.write` gives for the record, so a reload is unchanged.
        let stored = try #require(try bulk.db.scalarText("SELECT data FROM contacts WHERE id = '5725767000000900005'"))
        let record = try #require(try bulk.record("5725767000000900005")).record
        #expect(Array(stored.utf8) == Array(JSON.write(.object(record.fields)).utf8))
        // Reloading: every row is unchanged but the first of 900002, which is stale: the stored
        // record is the file's later row, modified a day after it. (Record by record through
        // `put`, which knows nothing of times, that row updates 900002 and the later one updates
        // it back; the content is the same either way.)
        let again = try bulk.load(path)
        let expectedAgain = try Self.loadThroughPut(reference, path: try reference.write("Contacts_again.csv", text), module: .contacts)
        #expect(expectedAgain.updated == 2 && again.unchanged == expectedAgain.unchanged + 1)
        #expect(again.stale == 1 && again.updated == 0)
        #expect(again.unchanged == again.read - 1)
        #expect(try Self.sameContent(bulk, reference))
    }

    @Test func indexesAreBuiltAgainAndUsed() throws {
        let fixture = try LoaderFixture()
        let before = try Self.indexes(fixture.db)
        _ = try fixture.load("Contacts.csv", Self.trickyExport())
        #expect(try Self.indexes(fixture.db) == before)
        #expect(before.contains { $0.hasPrefix("contacts_email: ") })
        let plan = try fixture.db.statement("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE Email = ? COLLATE NOCASE")
            .rows(["x"]) { $0.text(3) ?? "" }.joined(separator: " ")
        #expect(plan.contains("USING INDEX contacts_email"))
        #expect(try fixture.db.scalarText("PRAGMA integrity_check") == "ok")
        // The connection's settings are back to what they were.
        #expect(try fixture.db.scalarInt("PRAGMA cache_size") == -2000)
        #expect(try fixture.db.scalarInt("PRAGMA threads") == 0)
    }

    @Test func aFailureMidFileLoadsNothingAndKeepsTheIndexes() throws {
        let fixture = try LoaderFixture()
        let before = try Self.indexes(fixture.db)
        var rows = [Self.header]
        for index in 0..<50 {
            rows.append([String(5_725_767_000_000_900_000 + Int64(index)), "Pat", "A", "B", "a\(index)@example.com", "", "",
                         "", "", "", ""])
        }
        rows.append(["not-an-id", "Pat", "A", "B", "x@example.com", "", "", "", "", "", ""])
        let path = try fixture.write("Contacts.csv", Self.csv(rows))
        #expect(fixture.loadError(path) != nil)
        #expect(try fixture.count("contacts") == 0)
        #expect(try fixture.count("import_log") == 0)
        #expect(try fixture.db.scalarInt("SELECT count(*) FROM replica_state") == 0)
        #expect(try Self.indexes(fixture.db) == before)
        #expect(try fixture.db.scalarInt("PRAGMA cache_size") == -2000)

        // A malformed quote at the very end, after every row went in: still nothing.
        let broken = try fixture.write("Contacts2.csv", Self.csv(Array(rows.dropLast())) + "5725767000000999999,\"unterminated\r\n")
        #expect(fixture.loadError(broken) != nil)
        #expect(try fixture.count("contacts") == 0)
        #expect(try Self.indexes(fixture.db) == before)
        // And the file loads whole once fixed.
        let fixed = try fixture.load(fixture.write("Contacts3.csv", Self.csv(Array(rows.dropLast()))))
        #expect(fixed.inserted == 50)
    }

    @Test func mergingIntoAFilledTableLeavesWhatPutLeaves() throws {
        let bulk = try LoaderFixture(), reference = try LoaderFixture()
        let first = Self.trickyExport()
        var rows = [Self.header]
        rows.append(["5725767000000900001", "Pat Boyle", "plain", "Last 1", "plain", "", "+1 555 1",
                     "2025-10-16T10:00:00+00:00", "2025-10-16T11:00:00+00:00", "plain", "Gold"])          // unchanged
        rows.append(["5725767000000900004", "Lee", "Fourth", "Updated", "ANN@example.com", "", "", "", "", "", ""])  // updated
        rows.append(["5725767000000990001", "Lee", "New", "Person", "new@example.com", "", "", "", "", "", ""])     // inserted
        rows.append(["5725767000000990001", "Lee", "New", "Person", "new2@example.com", "", "", "", "", "", ""])    // updated again
        let second = Self.csv(rows)
        _ = try bulk.load("Contacts.csv", first)
        let report = try bulk.load("Contacts_2.csv", second)
        _ = try Self.loadThroughPut(reference, path: try reference.write("Contacts.csv", first), module: .contacts)
        let expected = try Self.loadThroughPut(reference, path: try reference.write("Contacts_2.csv", second), module: .contacts)
        #expect(report.inserted == expected.inserted && report.updated == expected.updated && report.unchanged == expected.unchanged)
        #expect(expected.inserted == 1 && expected.updated == 2 && expected.unchanged == 1)
        #expect(try Self.sameContent(bulk, reference))
    }

    /// A table that is small next to the file also has its indexes rebuilt, and rows still merge.
    @Test func aSmallTableUnderABigFileIsMergedWithItsIndexesRebuilt() throws {
        let bulk = try LoaderFixture(), reference = try LoaderFixture()
        let older = Self.csv([Self.header, ["5725767000000900007", "Pat", "Old", "Row", "old@example.com", "", "", "", "", "", ""],
                              ["5725767000000900008", "Pat", "Same", "Row", "same@example.com", "", "", "", "", "", ""]])
        var rows = [Self.header, ["5725767000000900008", "Pat", "Same", "Row", "same@example.com", "", "", "", "", "", ""]]
        for index in 0..<300 {
            rows.append([String(5_725_767_000_000_900_000 + Int64(index)), "Pat", "First \(index)", "Last", "p\(index)@Example.com",
                         "", "+1 555 \(index)", "2025-10-16T10:00:00+00:00", "", "", ""])
        }
        let current = Self.csv(rows)
        let before = try Self.indexes(bulk.db)
        _ = try bulk.load("Contacts_old.csv", older)
        let report = try bulk.load("Contacts.csv", current)
        _ = try Self.loadThroughPut(reference, path: try reference.write("Contacts_old.csv", older), module: .contacts)
        let expected = try Self.loadThroughPut(reference, path: try reference.write("Contacts.csv", current), module: .contacts)
        #expect(BulkWriter.bytesPerStoredRow * 2 < current.utf8.count, "the file is big enough to rebuild the indexes")
        #expect(report.inserted == expected.inserted && report.updated == expected.updated && report.unchanged == expected.unchanged)
        #expect(expected.inserted == 298 && expected.updated == 2 && expected.unchanged == 1)
        #expect(try Self.sameContent(bulk, reference))
        #expect(try Self.indexes(bulk.db) == before)
        #expect(try bulk.db.scalarText("PRAGMA integrity_check") == "ok")

        // Which path a file takes: the table holds 300 rows; a file of more than 400 bytes per row rebuilds.
        let store = RecordStore(db: bulk.db)
        try bulk.db.dryRun {
            let big = try BulkWriter(store: store, module: .contacts, fileBytes: 301 * BulkWriter.bytesPerStoredRow)
            #expect(big.rebuildsIndexes && !big.isBulk)
            // The near-miss key indexes stay (`BulkWriter.sparseIndexes`); the others are dropped.
            #expect(Set(try Self.indexes(bulk.db).filter { $0.hasPrefix("contacts_") }.map { String($0.prefix { $0 != ":" }) })
                    == ["contacts_email_key", "contacts_secondary_email_key", "contacts_phone_key"])
            big.restore()
        }
        #expect(try Self.indexes(bulk.db) == before)
        try bulk.db.dryRun {
            let small = try BulkWriter(store: store, module: .contacts, fileBytes: 300 * BulkWriter.bytesPerStoredRow)
            #expect(!small.rebuildsIndexes && !small.isBulk)
        }
        try bulk.db.dryRun {
            let empty = try BulkWriter(store: store, module: .leads, fileBytes: 10)
            #expect(empty.rebuildsIndexes && empty.isBulk)
            empty.restore()
        }
    }

    @Test func aRecordInTheRecycleBinHasItsBinCopyUpdated() throws {
        let bulk = try LoaderFixture(), reference = try LoaderFixture()
        let deleted = #"{"data":[{"id":"5725767000000900002","type":"recycle","deleted_time":"2025-10-01T09:00:00+00:00","deleted_by":{"name":"Pat","id":"1"},"created_by":null,"display_name":null}]}"#
        for fixture in [bulk, reference] { _ = try fixture.load("Contacts_deleted.json", deleted) }
        let text = Self.trickyExport()
        let report = try bulk.load("Contacts.csv", text)
        let expected = try Self.loadThroughPut(reference, path: try reference.write("Contacts.csv", text), module: .contacts)
        #expect(report.inserted == expected.inserted && report.updated == expected.updated && report.unchanged == expected.unchanged)
        #expect(try bulk.count("contacts") == Self.tricky.count - 1)
        #expect(try Self.sameContent(bulk, reference))
    }

    @Test func sideIndexedFieldsAreWrittenForBulkInserts() throws {
        let bulk = try LoaderFixture(), reference = try LoaderFixture()
        let fields = #"{"fields":[{"api_name":"Customer_Tier","field_label":"Customer Tier","data_type":"text","unique":{"case_sensitive":false}},{"api_name":"Work_Email","field_label":"Work Email","data_type":"email"}]}"#
        for fixture in [bulk, reference] { _ = try fixture.load("Contacts_fields.json", fields) }
        var rows = [Self.header + ["Work Email"]]
        for index in 0..<6 {
            rows.append([String(5_725_767_000_000_900_000 + Int64(index)), "Pat", "A", "B", "a\(index)@example.com", "", "", "", "",
                         "", index == 2 ? "" : "T\(index)", index % 2 == 0 ? "Work\(index)@Example.com" : ""])
        }
        rows.append(rows[2])   // a repeated id goes through put
        let text = Self.csv(rows)
        _ = try bulk.load("Contacts.csv", text)
        _ = try Self.loadThroughPut(reference, path: try reference.write("Contacts.csv", text), module: .contacts)
        #expect(try bulk.count("field_values") == 5 + 3)
        #expect(try Self.sameContent(bulk, reference))
        #expect(try Self.indexes(bulk.db) == Self.indexes(reference.db))
    }

    @Test func ndjsonBulkLoadLeavesWhatPutLeaves() throws {
        let bulk = try LoaderFixture(), reference = try LoaderFixture()
        var lines: [String] = []
        for (index, value) in Self.tricky.enumerated() {
            let record: JSONValue = .object([
                "id": index % 2 == 0 ? .number(String(5_725_767_000_000_800_000 + Int64(index))) : .string(String(5_725_767_000_000_800_000 + Int64(index))),
                "Last_Name": .string(value), "Email": .string(value), "Owner": .object(["name": .string("Pat"), "id": .string("42")]),
                "Score": .number("12.50"), "Tags": .array([.string(value), .null, .bool(true)]),
            ])
            lines.append(JSON.write(record))
        }
        lines.append(lines[4])
        lines.append(#"{"id":"5725767000000800005","Last_Name":"changed"}"#)
        let text = lines.joined(separator: "\n") + "\n"
        let report = try bulk.load("Contacts.ndjson", text)
        let store = RecordStore(db: reference.db)
        var expected = Tally()
        try reference.db.write {
            for line in lines {
                var fields = try #require(try JSON.parse(line).objectValue)
                fields["id"] = .string(try #require(fields["id"]?.stringValue))
                expected.count(try store.put(Record(fields: fields), module: .contacts))
            }
        }
        #expect(report.inserted == expected.inserted && report.updated == expected.updated && report.unchanged == expected.unchanged)
        #expect(expected.unchanged == 1 && expected.updated == 1)
        #expect(try Self.sameContent(bulk, reference))
        #expect(try Self.indexes(bulk.db) == Self.indexes(reference.db))
    }

    /// The bulk path stores a near-miss key only where it differs from the value ASCII-lower-cased.
    @Test func bulkPathStoresOnlyKeysThatDifferFromTheLowerCasedValue() throws {
        let fixture = try LoaderFixture()
        func row(_ id: String, email: String, phone: String) -> [String] {
            [id, "Pat Boyle", "Ann", "Lee", email, "", phone, "2025-10-16T10:00:00+00:00", "2025-10-16T11:00:00+00:00", "", "Gold"]
        }
        _ = try fixture.load("Contacts.csv", Self.csv([Self.header, row("5725767000000700001", email: "Lee@Example.com", phone: "+1 555 1"),
                                                      row("5725767000000700002", email: "lee@example.com\u{00A0}", phone: " 5"),
                                                      row("5725767000000700003", email: "ÉMILE@x.io", phone: "é")]))
        let rows = try fixture.db.statement("SELECT email_key, phone_key FROM contacts ORDER BY id").rows { row in
            (0..<row.columnCount).map { row.value($0) }
        }
        #expect(rows == [[.null, .null], [.text("lee@example.com"), .text("5")], [.text("émile@x.io"), .null]])
    }

    /// Schema 2: an empty key cell is NULL in its column and near-miss key (empty values never
    /// match, and the partial key indexes leave NULL out), while `data` keeps the "". The bulk
    /// path, a merge into a filled table and `put` all store it so.
    @Test func anEmptyKeyCellStoresNullWhileDataKeepsIt() throws {
        let fixture = try LoaderFixture()
        func row(_ id: String, email: String, phone: String) -> [String] {
            [id, "Pat Boyle", "Ann", "Lee", email, "", phone, "2025-10-16T10:00:00+00:00", "2025-10-16T11:00:00+00:00", "", "Gold"]
        }
        _ = try fixture.load("Contacts.csv", Self.csv([Self.header, row("5725767000000700001", email: "", phone: "+1 555 1"),
                                                      row("5725767000000700002", email: " ", phone: "")]))
        // Into the filled table: a new id (direct insert) and a changed one (through `put`).
        _ = try fixture.load("Contacts2.csv", Self.csv([Self.header, row("5725767000000700002", email: "b@example.com", phone: ""),
                                                       row("5725767000000700003", email: "", phone: "")]))
        let rows = try fixture.db.statement("""
            SELECT id, Email, email_key, Secondary_Email, secondary_email_key, Phone, phone_key,
                   json_extract(data, '$.Email'), json_extract(data, '$.Secondary_Email'), json_extract(data, '$.Phone')
            FROM contacts ORDER BY id
            """).rows { row in (0..<row.columnCount).map { row.value($0) } }
        #expect(rows == [
            // A key that is only the value ASCII-lower-cased is NULL too (`Matching.storedKey`).
            [.text("5725767000000700001"), .null, .null, .null, .null, .text("+1 555 1"), .null, .text(""), .text(""), .text("+1 555 1")],
            [.text("5725767000000700002"), .text("b@example.com"), .null, .null, .null, .null, .null,
             .text("b@example.com"), .text(""), .text("")],
            [.text("5725767000000700003"), .null, .null, .null, .null, .null, .null, .text(""), .text(""), .text("")],
        ])
        // A non-empty value whose near-miss key is empty keeps its "" key, as before.
        let store = fixture.store
        try fixture.db.write {
            _ = try store.put(Record(fields: ["id": .string("5725767000000700004"), "Email": .string(" "), "Phone": .string("")]), module: .contacts)
        }
        #expect(try fixture.db.statement("SELECT Email, email_key, Phone, phone_key FROM contacts WHERE id = '5725767000000700004'")
            .firstRow { row in (0..<row.columnCount).map { row.value($0) } } == [.text(" "), .text(""), .null, .null])
        // Every key index of the people and the bin's people columns is partial.
        let partial = try fixture.db.statement("""
            SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('contacts', 'leads', 'recycle_bin')
              AND name NOT LIKE '%campaign_name%' AND sql NOT LIKE '% IS NOT NULL'
            """).firstRow { $0.int(0) }
        #expect(partial == 0)
    }

    @Test func theHighestIDIsNotedOncePerFile() throws {
        let fixture = try LoaderFixture()
        _ = try fixture.load("Contacts.csv", Self.trickyExport())
        let highest = 5_725_767_000_000_900_000 + Int64(Self.tricky.count - 1)
        #expect(try fixture.db.scalarInt("SELECT value FROM replica_state WHERE key = 'max_id'") == Int(highest))
        #expect(try fixture.store.nextID() == String(highest + 1))
    }
}
