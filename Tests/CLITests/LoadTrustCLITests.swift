import Foundation
import TestSupport
import Testing

/// `load` as a new user meets it: older exports after newer ones, files of other modules, Excel's
/// separators, empty rows and "Unicode Text", `--json` after a failure, and the terminal.
@Suite("CLI: load keeps newer data and reads what Excel writes")
struct LoadTrustCLITests {
    static let header = "Record Id,First Name,Last Name,Email,Contact Owner,Created Time,Modified Time"

    /// The November export: Ann changed her email in 2026.
    static let november = """
        \(header)
        5725767000000524157,Ann,Lee,ann.lee@newjob.example,Pat Boyle,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+05:30
        5725767000000524158,Bob,Ray,bob@example.com,Pat Boyle,2019-03-01T09:00:00+00:00,2019-04-01T09:00:00+00:00

        """

    /// The 2019 export of the same records, loaded afterwards.
    static let older = """
        \(header)
        5725767000000524157,Ann,Lee,ann@oldjob.example,Pat Boyle,2019-03-01T09:00:00+00:00,2019-06-01T09:00:00+00:00
        5725767000000524158,Bob,Ray,bob.ray@example.com,Pat Boyle,2019-03-01T09:00:00+00:00,2019-04-01T09:00:00+00:00

        """

    static func files(_ outcome: CommandResult) -> [[String: Any]] {
        outcome.json?["files"] as? [[String: Any]] ?? []
    }

    static func record(_ workspace: Workspace, _ id: String) throws -> [String: Any] {
        let shown = try workspace.run(["show", id, "--json"])
        try #require(shown.status == 0, "\(shown.stderr)")
        return try #require(shown.json?["record"] as? [String: Any])
    }

    // MARK: Item 3: an older export does not replace newer data

    @Test func olderExportLoadedAfterNewerOneKeepsTheNewerRecord() throws {
        let workspace = try Workspace()
        let new = try workspace.write("Contacts_2026_11_20.csv", Self.november)
        let old = try workspace.write("Contacts_2019.csv", Self.older)
        let outcome = try workspace.run(["load", new, old, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reports = Self.files(outcome)
        #expect(reports.count == 2)
        #expect(reports.first?["stale"] as? Int == 0)
        #expect(reports.last?["stale"] as? Int == 1)
        #expect(reports.last?["read"] as? Int == 2)
        // Bob's times are equal: the later load wins, as it always did.
        #expect(reports.last?["updated"] as? Int == 1)
        #expect(outcome.stderr.contains("\(old): 1 record left as stored (stale)"))

        let ann = try Self.record(workspace, "5725767000000524157")
        #expect(ann["Email"] as? String == "ann.lee@newjob.example")
        #expect(ann["Modified_Time"] as? String == "2026-11-20T10:00:00+05:30")
        #expect(try Self.record(workspace, "5725767000000524158")["Email"] as? String == "bob.ray@example.com")

        // Human output counts them too.
        let again = try workspace.run(["load", old, "--quiet"])
        #expect(again.stdout.contains("1 stale"))
    }

    @Test func timesCompareAsInstantsAndUnreadableOrMissingTimesLetTheLaterLoadWin() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts_1.csv", """
            \(Self.header)
            5725767000000524157,Ann,Lee,ann1@example.com,Pat,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+05:30
            5725767000000524158,Bob,Ray,bob1@example.com,Pat,2019-03-01T09:00:00+00:00,20/11/2026 10:00
            5725767000000524159,Cy,Fox,cy1@example.com,Pat,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+00:00

            """)
        // 06:00 UTC is later than 10:00 at +05:30 (04:30 UTC), although it sorts before it as text;
        // Bob's stored time is in a UI format that does not parse; Cy's new row has no time.
        let second = try workspace.write("Contacts_2.csv", """
            \(Self.header)
            5725767000000524157,Ann,Lee,ann2@example.com,Pat,2019-03-01T09:00:00+00:00,2026-11-20T06:00:00+00:00
            5725767000000524158,Bob,Ray,bob2@example.com,Pat,2019-03-01T09:00:00+00:00,2019-01-01T00:00:00+00:00
            5725767000000524159,Cy,Fox,cy2@example.com,Pat,2019-03-01T09:00:00+00:00,

            """)
        let outcome = try workspace.run(["load", second, "--json"])
        #expect(Self.files(outcome).first?["stale"] as? Int == 0)
        #expect(Self.files(outcome).first?["updated"] as? Int == 3)
        #expect(try Self.record(workspace, "5725767000000524157")["Email"] as? String == "ann2@example.com")
        #expect(try Self.record(workspace, "5725767000000524158")["Email"] as? String == "bob2@example.com")
        #expect(try Self.record(workspace, "5725767000000524159")["Email"] as? String == "cy2@example.com")
    }

    @Test func aRowRepeatedInOneFileWithAnOlderTimeIsStaleOnTheBulkPath() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", """
            \(Self.header)
            5725767000000524157,Ann,Lee,ann.new@example.com,Pat,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+00:00
            5725767000000524157,Ann,Lee,ann.old@example.com,Pat,2019-03-01T09:00:00+00:00,2025-01-01T10:00:00+00:00

            """)
        let outcome = try workspace.run(["load", path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Self.files(outcome).first?["inserted"] as? Int == 1)
        #expect(Self.files(outcome).first?["stale"] as? Int == 1)
        #expect(try Self.record(workspace, "5725767000000524157")["Email"] as? String == "ann.new@example.com")
    }

    @Test func olderJSONPagesAndNDJSONAreStaleToo() throws {
        let workspace = try Workspace()
        try workspace.load("Leads_new.json", #"{"data":[{"id":"5725767000000700001","Last_Name":"Moss","Email":"new@example.org","Modified_Time":"2026-11-20T10:00:00+00:00"}]}"#)
        let page = try workspace.write("Leads_old.json", #"{"data":[{"id":"5725767000000700001","Last_Name":"Moss","Email":"old@example.org","Modified_Time":"2024-01-01T10:00:00+00:00"}]}"#)
        let lines = try workspace.write("Leads_old.ndjson", #"{"id":"5725767000000700001","Last_Name":"Moss","Email":"older@example.org","Modified_Time":"2023-01-01T10:00:00+00:00"}"# + "\n")
        let outcome = try workspace.run(["load", page, lines, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Self.files(outcome).map { $0["stale"] as? Int } == [1, 1])
        #expect(Self.files(outcome).first?["delimiter"] is NSNull)
        #expect(try Self.record(workspace, "5725767000000700001")["Email"] as? String == "new@example.org")
    }

    @Test func theRecycleBinKeepsItsNewerCopyAndAnOlderDeletionDoesNotBinANewerRecord() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts_2026_11_20.csv", Self.november)
        // Ann was deleted after her November change: her bin copy keeps the November fields.
        try workspace.load("Contacts_deleted.json", #"{"data":[{"id":"5725767000000524157","type":"recycle","deleted_time":"2026-11-25T09:00:00+00:00"}]}"#)
        // Bob was deleted in 2018, before his 2019 change: he was restored since, and stays live.
        let oldDeletion = try workspace.write("Contacts_deleted_2018.json", #"{"data":[{"id":"5725767000000524158","type":"recycle","deleted_time":"2018-01-01T09:00:00+00:00"}]}"#)
        let deleted = try workspace.run(["load", oldDeletion, "--json"])
        #expect(Self.files(deleted).first?["stale"] as? Int == 1)
        #expect(try workspace.run(["show", "5725767000000524158", "--json"]).json?["location"] as? String == "live")

        let old = try workspace.write("Contacts_2019.csv", Self.older)
        let outcome = try workspace.run(["load", old, "--json"])
        #expect(Self.files(outcome).first?["stale"] as? Int == 1)
        let shown = try workspace.run(["show", "5725767000000524157", "--json"])
        #expect(shown.json?["location"] as? String == "recycle_bin")
        #expect((shown.json?["record"] as? [String: Any])?["Email"] as? String == "ann.lee@newjob.example")
    }

    @Test func anEmptyTableStillComparesWithTheRecycleBin() throws {
        let workspace = try Workspace()
        // Ann alone, then deleted: the live table is empty again, so the old export takes the bulk path.
        try workspace.load("Contacts_2026_11_20.csv", Self.november.split(separator: "\n").prefix(2).joined(separator: "\n") + "\n")
        try workspace.load("Contacts_deleted.json", #"{"data":[{"id":"5725767000000524157","type":"recycle","deleted_time":"2026-11-25T09:00:00+00:00"}]}"#)
        let old = try workspace.write("Contacts_2019.csv", Self.older)
        let outcome = try workspace.run(["load", old, "--json"])
        #expect(Self.files(outcome).first?["stale"] as? Int == 1)
        #expect(Self.files(outcome).first?["inserted"] as? Int == 1)
        let shown = try workspace.run(["show", "5725767000000524157", "--json"])
        #expect((shown.json?["record"] as? [String: Any])?["Email"] as? String == "ann.lee@newjob.example")
    }

    // MARK: Item 6: files of modules the replica does not store

    @Test func filesOfOtherModulesAreSkippedAndTheRestLoads() throws {
        let workspace = try Workspace()
        let contacts = try workspace.write("Contacts_2026_11_20.csv", Self.november)
        let accounts = try workspace.write("Accounts_2026.csv", "Record Id,Account Name,Account Owner\n5725767000000800001,Fabrikam,Pat Boyle\n")
        let deals = try workspace.write("Deals_001.json", #"{"data":[{"id":"5725767000000900001","Deal_Name":"Renewal"}]}"#)
        let leads = try workspace.write("Leads.ndjson", #"{"id":"5725767000000700001","Last_Name":"Moss"}"# + "\n")
        let outcome = try workspace.run(["load", contacts, accounts, deals, leads])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.lines.count == 2)
        #expect(outcome.stderr.contains("\(accounts): Accounts is not a module the replica stores (Contacts, Leads, Campaigns)"))
        #expect(outcome.stderr.contains("\(deals): Deals is not a module the replica stores (Contacts, Leads, Campaigns)"))
        #expect(!outcome.stderr.contains("names none"))
        let stats = try workspace.run(["stats", "--json"])
        #expect(stats.stdout == #"{"Contacts":2,"Leads":1,"Campaigns":0,"campaign_members":0,"recycle_bin":0}"# + "\n")

        let json = try workspace.run(["load", contacts, accounts, "--json"])
        #expect(json.status == 1)
        #expect(Self.files(json).count == 1)
        let skipped = json.json?["skipped_files"] as? [[String: Any]]
        #expect(skipped?.first?["path"] as? String == accounts)
    }

    @Test func aLoneFileOfAnotherModuleLoadsNothingAndExitsTwo() throws {
        let workspace = try Workspace()
        let accounts = try workspace.write("Accounts_2026.csv", "Record Id,Account Name,Account Owner\n5725767000000800001,Fabrikam,Pat Boyle\n")
        let outcome = try workspace.run(["load", accounts])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("error: \(accounts): Accounts is not a module the replica stores (Contacts, Leads, Campaigns)"))
        #expect(try workspace.run(["stats", "--json"]).stdout.hasPrefix(#"{"Contacts":0,"Leads":0"#))
    }

    @Test func anOwnerColumnStillDecidesBeforeAModuleWordInTheName() throws {
        let workspace = try Workspace()
        // A Contacts export saved under a name that happens to hold a module word.
        let path = try workspace.write("calls_list.csv", Self.november)
        let outcome = try workspace.run(["load", path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Self.files(outcome).first?["module"] as? String == "Contacts")
    }

    @Test func aMalformedFileStillStopsTheLoadWithExitTwo() throws {
        let workspace = try Workspace()
        let accounts = try workspace.write("Accounts_2026.csv", "Record Id,Account Name\n5725767000000800001,Fabrikam\n")
        let bad = try workspace.write("Leads.csv", "Record Id,Last Name\n5725767000000700001,\"Moss\n")
        let later = try workspace.write("Contacts.csv", Self.november)
        let outcome = try workspace.run(["load", accounts, bad, later])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unterminated quoted field"))
        #expect(try workspace.run(["stats", "--json"]).stdout.hasPrefix(#"{"Contacts":0,"Leads":0"#))
    }

    // MARK: Item 7: separators

    @Test func semicolonTabAndPipeSeparatedExportsLoadAndSaySo() throws {
        let workspace = try Workspace()
        let semicolon = try workspace.write("Contacts_eu.csv", """
            Record Id;First Name;Last Name;Email;Contact Owner;Created Time;Modified Time
            5725767000000524157;Ann;"Lee; Jr.";ann@example.com;Pat Boyle;2019-03-01T09:00:00+00:00;2026-11-20T10:00:00+05:30
            5725767000000524158;Bob;Ray, Sr.;bob@example.com;Pat Boyle;2019-03-01T09:00:00+00:00;2026-11-20T10:00:00+05:30

            """)
        let tab = try workspace.write("Leads.tsv", "Record Id\tFirst Name\tLast Name\tEmail\tLead Owner\n5725767000000700001\tMia\tMoss\tmia@example.org\tPat Boyle\n")
        let pipe = try workspace.write("Contacts_pipe.csv", "id|Last_Name|Email\n5725767000000524159|Fox|cy@example.com\n")
        let outcome = try workspace.run(["load", semicolon, tab, pipe, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Self.files(outcome).map { $0["delimiter"] as? String } == [";", "\t", "|"])
        #expect(Self.files(outcome).map { $0["inserted"] as? Int } == [2, 1, 1])
        #expect(outcome.stderr.contains("\(semicolon): fields are separated by semicolons"))
        #expect(outcome.stderr.contains("\(tab): fields are separated by tabs"))
        let ann = try Self.record(workspace, "5725767000000524157")
        #expect(ann["Last_Name"] as? String == "Lee; Jr.")
        #expect(try Self.record(workspace, "5725767000000524158")["Last_Name"] as? String == "Ray, Sr.")

        let comma = try Workspace().run(["load", try workspace.write("Contacts.csv", Self.november), "--json"])
        #expect(Self.files(comma).first?["delimiter"] as? String == ",")
        #expect(comma.stderr.isEmpty)
    }

    // MARK: Item 8: Excel's empty rows

    @Test func rowsWithEveryCellEmptyAreSkippedAndCounted() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", """
            \(Self.header)
            5725767000000524157,Ann,Lee,ann@example.com,Pat Boyle,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+05:30
            ,,,,,,
            5725767000000524158,Bob,Ray,bob@example.com,Pat Boyle,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+05:30
            ,,,,,,
            "",,,,,,
            ,,,,,,

            """)
        let members = try workspace.write("members.csv", "Campaign Id,Member Id,Member Module,Member Status\n5725767000002000001,5725767000000524157,Contacts,Active\n,,,\n")
        let outcome = try workspace.run(["load", path, members, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Self.files(outcome).map { $0["skipped"] as? Int } == [4, 1])
        #expect(Self.files(outcome).map { $0["read"] as? Int } == [2, 1])
        #expect(Self.files(outcome).first?["inserted"] as? Int == 2)
    }

    // MARK: Item 13: --json after a failure

    @Test func jsonAfterAFailurePrintsTheCommittedFilesAndTheError() throws {
        let workspace = try Workspace()
        let good = try workspace.write("Contacts.csv", Self.november)
        let bad = try workspace.write("Leads.csv", "Record Id,Last Name,Email\n5725767000000700001,Moss,moss@example.org\n5725767000000700002,Short\n")
        let outcome = try workspace.run(["load", good, bad, "--json"])
        #expect(outcome.status == 2)
        let document = try #require(outcome.json, "stdout: \(outcome.stdout)")
        #expect(Self.files(outcome).count == 1)
        #expect(Self.files(outcome).first?["path"] as? String == good)
        #expect(Self.files(outcome).first?["inserted"] as? Int == 2)
        let error = try #require(document["error"] as? [String: Any])
        #expect(error["path"] as? String == bad)
        #expect((error["message"] as? String)?.contains("line 3: expected 3 fields") == true)
        #expect(outcome.stderr.contains("this file loaded nothing"))
    }

    // MARK: Item 16: messages and Excel's "Unicode Text"

    @Test func aRowWithoutAnIDSaysSo() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", "\(Self.header)\n,Ann,Lee,ann@example.com,Pat Boyle,,\n")
        let outcome = try workspace.run(["load", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("\(path): line 2: the row has no id (column `Record Id` is empty)"))
        #expect(!outcome.stderr.contains("found nothing"))
    }

    static func utf16(_ text: String, bigEndian: Bool) -> Data {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += bigEndian ? pair.reversed() : pair
        }
        return Data(bytes)
    }

    @Test(arguments: [false, true])
    func excelUnicodeTextLoads(bigEndian: Bool) throws {
        let workspace = try Workspace()
        // Excel's "Unicode Text": UTF-16 with a BOM, tab-separated, CRLF; non-ASCII and a
        // character outside the BMP (a surrogate pair), over many chunks' worth of rows.
        var text = "Record Id\tFirst Name\tLast Name\tEmail\tContact Owner\tCreated Time\tModified Time\r\n"
        for row in 0..<3000 {
            text += "\(5725767000000600000 + row)\tZoë\tLee 😀\tz\(row)@example.com\tPat Boyle\t2019-03-01T09:00:00+00:00\t2026-11-20T10:00:00+05:30\r\n"
        }
        let url = workspace.directory.appendingPathComponent("Contacts.txt")
        try Self.utf16(text, bigEndian: bigEndian).write(to: url)
        let outcome = try workspace.run(["load", url.path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(Self.files(outcome).first?["inserted"] as? Int == 3000)
        #expect(Self.files(outcome).first?["delimiter"] as? String == "\t")
        #expect(outcome.stderr.contains("read as UTF-16 \(bigEndian ? "BE" : "LE") text"))
        let record = try Self.record(workspace, "5725767000000602999")
        #expect(record["First_Name"] as? String == "Zoë")
        #expect(record["Last_Name"] as? String == "Lee 😀")
        #expect(record["Email"] as? String == "z2999@example.com")
    }

    @Test func utf16JSONIsConvertedAndUTF16NDJSONIsNamed() throws {
        let workspace = try Workspace()
        let page = workspace.directory.appendingPathComponent("Leads_001.json")
        try Self.utf16(#"{"data":[{"id":"5725767000000700001","Last_Name":"Moß"}]}"#, bigEndian: false).write(to: page)
        let loaded = try workspace.run(["load", page.path, "--json"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(try Self.record(workspace, "5725767000000700001")["Last_Name"] as? String == "Moß")

        let lines = workspace.directory.appendingPathComponent("Leads.ndjson")
        try Self.utf16(#"{"id":"5725767000000700002","Last_Name":"Moss"}"# + "\n", bigEndian: true).write(to: lines)
        let refused = try workspace.run(["load", lines.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(lines.path): line 1: expected UTF-8 text, one JSON object a line, found UTF-16 BE text"))
        #expect(!refused.stderr.contains("invalid UTF-8"))
    }

    /// The summary starts its own line on a terminal: the progress bar is erased first. Runs the
    /// load under `script`, which gives it a terminal, on a file big enough for the bar to show.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func theSummaryIsNotGluedToTheProgressBar() throws {
        let workspace = try Workspace()
        // The bar shows once a load has run for a second: 150,000 rows take a debug build several.
        var text = Self.header + "\n"
        text.reserveCapacity(160 * 150_000)
        for row in 0..<150_000 {
            text += "\(5725767000000600000 + row),First\(row),Last\(row),person\(row)@example.com,Pat Boyle,2019-03-01T09:00:00+00:00,2026-11-20T10:00:00+05:30\n"
        }
        let path = try workspace.write("Contacts.csv", text)
        let command = [CLI.binary.path, "load", path, "--db", workspace.database].map { "'\($0)'" }.joined(separator: " ")
        let outcome = try CLI.execute(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], in: workspace.directory)
        #expect(outcome.status == 0, "\(outcome.stdout)")
        let terminal = outcome.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        try #require(terminal.contains("%"), "the progress bar never showed, so this test proves nothing: \(terminal.debugDescription)")
        let summary = try #require(terminal.split(separator: "\n").first { $0.contains("150000 read") })
        // What the terminal shows of that line is what follows its last carriage return.
        let visible = summary.split(separator: "\r", omittingEmptySubsequences: false).last ?? ""
        #expect(!visible.contains("%"), "summary glued to the bar: \(summary.debugDescription)")
        #expect(visible.replacingOccurrences(of: "\u{1B}[K", with: "").hasPrefix(path))
    }
}
