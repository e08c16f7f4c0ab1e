import Catalogue
import Formats
import Foundation
import Persistence
import Storage
import Testing
@testable import Ingest

/// `JSONRecordScanner` makes, from a record object's bytes, what the parser's path makes of it:
/// the same id, the same `data` text, the same values in the key columns. And a load through it
/// leaves what loading record by record through `RecordStore.put` leaves, whichever records it
/// declines.
@Suite("Loader: JSON records scanned")
struct JSONRecordScanTests {
    /// What the scanner makes of `text`, or nil when it declines it.
    static func scanned(_ text: String, module: Module) -> (id: String, json: String, columns: [SQLValue])? {
        var json = JSONCanonicalScanner()
        var scanner = JSONRecordScanner(module: module)
        var batch = JSONRecordBatch()
        batch.bytes = Array("leading bytes".utf8)   // ranges must be taken from where the record starts
        let bytes = Array(text.utf8)
        let accepted = bytes.withUnsafeBufferPointer { buffer in
            json.begin(buffer)
            return scanner.append(from: &json, to: &batch)
        }
        guard accepted else {
            #expect(batch.bytes == Array("leading bytes".utf8) && batch.keySlots.isEmpty && batch.entries.isEmpty, "a declined record left bytes behind")
            return nil
        }
        guard case .scanned(let row)? = batch.entries.last else { return nil }
        let string = { (range: Range<Int>) in String(decoding: batch.bytes[range], as: UTF8.self) }
        let slots = batch.keySlots[row.keys...].map { $0.map { SQLValue.text(string($0)) } ?? .null }
        return (string(row.id), string(row.json), [.text(string(row.id))] + slots + [.text(string(row.json))])
    }

    /// What the parser's path makes of `text`: `JSONRecord.make`, then `LiveLayout.values`.
    static func parsed(_ text: String, module: Module) throws -> (id: String, json: String, columns: [SQLValue]) {
        let reader = JSONReader(path: "test.ndjson", line: 1)
        let prepared = try BulkWriter.PreparedRecord(JSONRecord.make(try JSON.parse(text), at: JSONPath(), reader: reader), module: module)
        return (prepared.id, prepared.json, LiveLayout.of(module).values(prepared.record, id: prepared.id, json: prepared.json))
    }

    static let values = BulkLoadTests.tricky.map { JSON.write(.string($0)) } + ["null", "12.50", "5551234", "true", "{\"x\":1}", "[1]", "\"\""]

    @Test("a scanned record equals the parsed one", arguments: Module.allCases)
    func scannedEqualsParsed(_ module: Module) throws {
        let fields = module.keyColumns.map(\.field)
        var accepted = 0
        for (index, value) in Self.values.enumerated() {
            let id = index % 3 == 0 ? "5725767000000\(100000 + index)" : "\"5725767000000\(100000 + index)\""
            let others = fields.enumerated().map { "\"\($1)\":\(Self.values[(index + $0 * 7) % Self.values.count])" }
            for text in [
                "{\"id\":\(id),\"\(fields[0])\":\(value),\"Owner\":{\"name\":\"Pat\",\"id\":\"42\"},\"Modified_Time\":\"2025-10-16T11:00:00+00:00\"}",
                " { \"Last_Name\" : \(value) , \"id\" : \(id) , " + others.joined(separator: " , ") + " } ",
                "{\"id\":\(id)}",
            ] {
                let reference = try Self.parsed(text, module: module)
                guard let scanned = Self.scanned(text, module: module) else {
                    // Declined: only where a key field holds an escaped string.
                    #expect(text.contains("\\"), "declined without an escape: \(text)")
                    continue
                }
                accepted += 1
                #expect(scanned.id == reference.id, "\(text)")
                #expect(scanned.json == reference.json, "\(text)")
                #expect(scanned.columns == reference.columns, "\(text)")
            }
        }
        #expect(accepted > Self.values.count * 2)
    }

    @Test("declined, for the parser to answer", arguments: [
        #"{"Email":"a@b.c"}"#,                             // no id: the parser names it
        #"{"id":"123"}"#, #"{"id":"zcrm_5725767000000100001"}"#, #"{"id":5725767000000100001.0}"#,
        #"{"id":-5725767000000100001}"#, #"{"id":"99999999999999999999"}"#, #"{"id":null}"#, #"{"id":{"x":1}}"#,
        #"{"id":"5725767000000100001","Email":"a\u0040b.c"}"#,   // an escaped key field
        #"{"id":"5725767000000100001","id":"5725767000000100002"}"#,
        #"["id"]"#,
    ])
    func declined(_ text: String) {
        #expect(Self.scanned(text, module: .contacts) == nil)
    }

    /// An NDJSON line is one object and nothing after it: anything more goes to the parser,
    /// which names the line and column.
    @Test func aLineWithMoreAfterItsObjectIsDeclined() throws {
        var json = JSONCanonicalScanner()
        var scanner = JSONRecordScanner(module: .contacts)
        var batch = JSONRecordBatch()
        for (text, accepted) in [(#"{"id":"5725767000000100001"}  "#, true), (#"{"id":"5725767000000100002"} x"#, false),
                                 (#"{"id":"5725767000000100003"}{"id":"5725767000000100004"}"#, false)] {
            let before = (batch.bytes, batch.keySlots, batch.count)
            let bytes = Array(text.utf8)
            let result = bytes.withUnsafeBufferPointer { buffer in
                json.begin(buffer)
                return scanner.append(from: &json, to: &batch, alone: true)
            }
            #expect(result == accepted, "\(text)")
            if !accepted { #expect(batch.bytes == before.0 && batch.keySlots == before.1 && batch.count == before.2) }
        }
        let fixture = try LoaderFixture()
        let error = fixture.loadError(try fixture.write("Contacts.ndjson", "{\"id\":\"5725767000000100001\"}\n{\"id\":\"5725767000000100002\"} x\n"))
        #expect(error?.description.contains("Contacts.ndjson") == true && error?.description.contains("line 2, column 30") == true, "\(String(describing: error))")
        #expect(try fixture.count("contacts") == 0)
    }

    /// Pages and NDJSON of the same records, some of which the scanner declines (an escaped
    /// Email), with an id twice, a bin copy and a side-indexed field: each load leaves what `put`
    /// record by record leaves.
    @Test func loadsLeaveWhatPutLeaves() throws {
        var lines: [String] = []
        for (index, value) in BulkLoadTests.tricky.enumerated() {
            let id = 5_725_767_000_000_700_000 + Int64(index)
            lines.append("{\"id\":\(index % 2 == 0 ? String(id) : "\"\(id)\""),\"Email\":\(JSON.write(.string(value))),"
                + "\"Secondary_Email\":\(index % 3 == 0 ? "null" : JSON.write(.string("S" + value))),\"Phone\":\(index % 4 == 0 ? "5551234" : "\"+1 555\"")," 
                + "\"Customer_Tier\":\(index % 5 == 0 ? "null" : "\"T\(index % 3)\""),\"Owner\":{\"name\":\"Pat\",\"id\":\"42\"},"
                + "\"Modified_Time\":\"2025-10-16T11:00:00+00:00\"}")
        }
        lines.append(lines[3])
        lines.append(#"{"id":"5725767000000700005","Email":"changed@example.com","Modified_Time":"2025-10-17T11:00:00+00:00"}"#)
        lines.append(#"{"id":"5725767000000700006","Email":"older@example.com","Modified_Time":"2025-10-01T11:00:00+00:00"}"#)
        let deleted = #"{"data":[{"id":"5725767000000700002","type":"recycle","deleted_time":"2025-10-01T09:00:00+00:00","deleted_by":{"name":"Pat","id":"1"},"created_by":null,"display_name":null}]}"#
        let fields = #"{"fields":[{"api_name":"Customer_Tier","field_label":"Customer Tier","data_type":"text","unique":{"case_sensitive":false}}]}"#

        func fixture() throws -> LoaderFixture {
            let fixture = try LoaderFixture()
            _ = try fixture.load("Contacts_deleted.json", deleted)
            _ = try fixture.load("Contacts_fields.json", fields)
            return fixture
        }
        let reference = try fixture()
        var expected = Tally()
        let store = RecordStore(db: reference.db)
        try reference.db.write {
            for line in lines {
                var record = try #require(try JSON.parse(line).objectValue)
                record["id"] = .string(try #require(record["id"]?.stringValue))
                let stored = try store.find(id: try #require(record["id"]?.stringValue))?.record.text("Modified_Time")
                if Staleness.isStale(incoming: record["Modified_Time"]?.stringValue, stored: stored) {
                    expected.stale += 1
                    expected.read += 1
                    continue
                }
                expected.count(try store.put(Record(fields: record), module: .contacts))
            }
        }
        #expect(expected.updated >= 2 && expected.stale == 1)

        let ndjson = try fixture()
        let report = try ndjson.load("Contacts.ndjson", lines.joined(separator: "\n") + "\n")
        let wanted: [Int] = [expected.inserted, expected.updated, expected.unchanged, expected.stale]
        #expect([report.inserted, report.updated, report.unchanged, report.stale] as [Int] == wanted)
        #expect(try BulkLoadTests.sameContent(ndjson, reference))

        let pages = try fixture()
        let paths = try stride(from: 0, to: lines.count, by: 7).map { start in
            let page = lines[start..<min(start + 7, lines.count)].joined(separator: ",")
            return try pages.write(String(format: "Contacts_page_%03d.json", start / 7), #"{"data":[\#(page)],"info":{"more_records":true}}"#)
        }
        var counts = Tally()
        pages.loader.load(paths: paths, options: LoadOptions(), progress: { _ in nil }) { outcome in
            guard case .success(let file) = outcome.result else {
                Issue.record("\(outcome.path): \(outcome.result)")
                return false
            }
            (counts.inserted, counts.updated, counts.unchanged, counts.stale) =
                (counts.inserted + file.inserted, counts.updated + file.updated, counts.unchanged + file.unchanged, counts.stale + file.stale)
            return true
        }
        #expect([counts.inserted, counts.updated, counts.unchanged, counts.stale] as [Int] == wanted)
        #expect(try BulkLoadTests.sameContent(pages, reference))
        #expect(try BulkLoadTests.indexes(pages.db) == BulkLoadTests.indexes(reference.db))

        // Loaded again into the filled table: every record compares unchanged.
        let again = try ndjson.load("Contacts.ndjson", lines.joined(separator: "\n") + "\n")
        #expect(again.inserted == 0 && again.updated == 0)
        #expect(try BulkLoadTests.sameContent(ndjson, reference))
    }

    /// A page the scan reads is detected as the parser's path detects it.
    @Test func aScannedPageIsDetectedAsTheParsedOne() throws {
        let fixture = try LoaderFixture()
        let record = #"{"id":"5725767000000700001","Email":"a@b.c"}"#
        let page = try fixture.write("Contacts_page.json", #"{"data":[\#(record)],"info":{"count":1}}"#)
        let detection = try FormatDetection.detect(try InputFile(path: page), options: LoadOptions())
        #expect(detection.format == .apiJSON && detection.module == .contacts && detection.records?.count == 1 && detection.document == nil)
        let escaped = try fixture.write("Contacts_page2.json", #"{"data":[{"id":"5725767000000700001","Email":"a\u0040b.c"}]}"#)
        let parsed = try FormatDetection.detect(try InputFile(path: escaped), options: LoadOptions())
        #expect(parsed.format == .apiJSON && parsed.records == nil && parsed.document != nil)
        let deleted = try fixture.write("Contacts_x.json", #"{"data":[{"id":"5725767000000700001","deleted_time":"2025-10-01T09:00:00+00:00"}]}"#)
        #expect(try FormatDetection.detect(try InputFile(path: deleted), options: LoadOptions()).format == .deletedJSON)
        let emptyDeleted = try fixture.write("Contacts_deleted_7.json", #"{"data":[],"info":{}}"#)
        #expect(try FormatDetection.detect(try InputFile(path: emptyDeleted), options: LoadOptions()).format == .deletedJSON)
        let related = try FormatDetection.detect(try InputFile(path: page), options: LoadOptions(campaignID: "5725767000000000009"))
        #expect(related.format == .relatedListJSON && related.records == nil)
    }
}
