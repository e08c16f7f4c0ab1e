import Catalogue
import Formats
import Foundation
@testable import Ingest
import Testing

/// The loader pieces behind `load`'s trust fixes: which separator a file uses, and which of two
/// versions of a record is the newer (the reader's side is in FormatsTests).
@Suite("Loader: separators, stale rows")
struct TrustIngestTests {
    @Test func theSeparatorIsTheOneWhoseHeaderHasAnIDColumn() throws {
        let fixture = try LoaderFixture()
        let cases: [(String, CSVDelimiter)] = [
            ("Record Id,Last Name\n5725767000000524157,Lee\n", .comma),
            ("Record Id;Last Name;Note\n5725767000000524157;Lee;\"a, b\"\n", .semicolon),
            ("Contacts export\nRecord Id\tLast Name\n5725767000000524157\tLee\n", .tab),
            ("id|Last_Name\n5725767000000524157|Lee\n", .pipe),
            // No separator gives an id column: the comma reading stands (and its error follows).
            ("Name;Email\nLee;lee@example.com\n", .comma),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let file = try InputFile(path: try fixture.write("Contacts_\(index).csv", text))
            #expect(try CSVHead(file: file).delimiter == expected, "\(text.debugDescription)")
        }
        // A comma file whose head is malformed under every other separator keeps its own error.
        let bad = try fixture.write("Contacts_bad.csv", "Record Id,Last Name\n\"unterminated\n")
        #expect(fixture.loadError(bad)?.description.contains("unterminated quoted field") == true)
    }

    @Test func stalenessComparesInstants() {
        // Later stored instant: stale.
        #expect(Staleness.isStale(incoming: "2019-06-01T09:00:00+00:00", stored: "2026-11-20T10:00:00+05:30"))
        // 06:00Z is after 10:00+05:30 (04:30Z), though it sorts before it as text.
        #expect(!Staleness.isStale(incoming: "2026-11-20T06:00:00+00:00", stored: "2026-11-20T10:00:00+05:30"))
        #expect(Staleness.isStale(incoming: "2026-11-20T04:00:00Z", stored: "2026-11-20T10:00:00+05:30"))
        // Equal instants written differently, missing or unreadable times: the later load wins.
        #expect(!Staleness.isStale(incoming: "2026-11-20T04:30:00+00:00", stored: "2026-11-20T10:00:00+05:30"))
        #expect(!Staleness.isStale(incoming: nil, stored: "2026-11-20T10:00:00+05:30"))
        #expect(!Staleness.isStale(incoming: "", stored: "2026-11-20T10:00:00+05:30"))
        #expect(!Staleness.isStale(incoming: "2019-06-01T09:00:00+00:00", stored: nil))
        #expect(!Staleness.isStale(incoming: "01/06/2019 09:00", stored: "2026-11-20T10:00:00+05:30"))
        #expect(!Staleness.isStale(incoming: "2019-06-01T09:00:00+00:00", stored: "20/11/2026 10:00 AM"))
        // A UI export's `YYYY-MM-DD HH:MM:SS` is read as UTC.
        #expect(Staleness.isStale(incoming: "2019-06-01 09:00:00", stored: "2026-11-20T10:00:00+05:30"))
    }
}
