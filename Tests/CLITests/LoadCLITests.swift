import Foundation
import TestSupport
import Testing

/// `load`, `stats` and `show` through the built binary, as scripts call them.
@Suite("CLI: load, stats, show")
struct LoadCLITests {
    static let contacts = """
        Record Id,First Name,Last Name,Email,Contact Owner
        5725767000000524157,Ann,Lee,ann@example.com,Pat Boyle
        5725767000000524158,Bob,Ray,bob@example.com,Pat Boyle

        """

    @Test func loadJSONReportHasTheContractKeysInOrder() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", Self.contacts)
        let first = try workspace.run(["load", path, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == #"{"files":[{"path":"\#(path)","module":"Contacts","format":"ui-csv","read":2,"inserted":2,"updated":0,"unchanged":0,"rejected":0,"stale":0,"skipped":0,"delimiter":","}]}"# + "\n")

        let again = try workspace.run(["load", path, "--json"])
        #expect(again.stdout == #"{"files":[{"path":"\#(path)","module":"Contacts","format":"ui-csv","read":2,"inserted":0,"updated":0,"unchanged":2,"rejected":0,"stale":0,"skipped":0,"delimiter":","}]}"# + "\n")
    }

    @Test func humanOutputIsOneLinePerFile() throws {
        let workspace = try Workspace()
        let contacts = try workspace.write("Contacts.csv", Self.contacts)
        let campaigns = try workspace.write("Campaigns.json", #"{"data":[{"id":"5725767000002000001","Campaign_Name":"Spring"}]}"#)
        let outcome = try workspace.run(["load", contacts, campaigns, "--quiet"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("2 inserted") == true && lines.last?.contains("Campaigns") == true)
        #expect(outcome.stderr.isEmpty)
    }

    @Test func badFileExitsTwoAndSaysWhatWasLoaded() throws {
        let workspace = try Workspace()
        let good = try workspace.write("Contacts.csv", Self.contacts)
        let bad = try workspace.write("Leads.csv", "Record Id,Last Name,Email\n5725767000000700001,Moss,moss@example.org\n5725767000000700002,Short\n")
        let outcome = try workspace.run(["load", good, bad, "--json"])
        #expect(outcome.status == 2)
        // One JSON document still: the file that committed, and the error.
        #expect((outcome.json?["files"] as? [[String: Any]])?.count == 1)
        #expect((outcome.json?["error"] as? [String: Any])?["path"] as? String == bad)
        #expect(outcome.stderr.contains("\(bad): line 3: expected 3 fields"))
        #expect(outcome.stderr.contains("earlier files were loaded"))
        #expect(outcome.stderr.contains("this file loaded nothing"))

        let stats = try workspace.run(["stats", "--json"])
        #expect(stats.stdout == #"{"Contacts":2,"Leads":0,"Campaigns":0,"campaign_members":0,"recycle_bin":0}"# + "\n")
    }

    @Test func unknownModuleIsBadUsage() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", Self.contacts)
        let outcome = try workspace.run(["load", path, "--module", "Deals"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown module `Deals`"))
    }

    @Test func statsCountsEveryKind() throws {
        let workspace = try Workspace()
        // A missing replica is refused, not created (it would answer with zeros after a typo).
        let missing = try workspace.run(["stats", "--json"])
        #expect(missing.status == 2)
        #expect(!FileManager.default.fileExists(atPath: workspace.database))

        let files = [
            try workspace.write("Contacts.csv", Self.contacts),
            try workspace.write("Leads.ndjson", #"{"id":"5725767000000700001","Last_Name":"Moss"}"# + "\n"),
            try workspace.write("Campaigns.json", #"{"data":[{"id":"5725767000002000001","Campaign_Name":"Spring"}]}"#),
            try workspace.write("members.csv", "Campaign Id,Member Id,Member Module,Member Status\n5725767000002000001,5725767000000524157,Contacts,Active\n"),
            try workspace.write("Contacts_deleted.json", #"{"data":[{"id":"5725767000000524158","type":"recycle","deleted_time":"2025-10-01T09:00:00+00:00"}]}"#),
        ]
        #expect(try workspace.run(["load"] + files + ["--quiet"]).status == 0)
        let stats = try workspace.run(["stats", "--json"])
        #expect(stats.stdout == #"{"Contacts":1,"Leads":1,"Campaigns":1,"campaign_members":1,"recycle_bin":1}"# + "\n")

        let table = try workspace.run(["stats"])
        #expect(table.stdout.contains("recycle_bin"))
        #expect(table.stdout.split(separator: "\n").count == 5)
    }

    @Test func showPrintsLiveAndRecycleBinRecords() throws {
        let workspace = try Workspace()
        let contacts = try workspace.write("Contacts.csv", Self.contacts.replacingOccurrences(of: "ann@example.com", with: "ann@example.com\u{00A0}"))
        let deleted = try workspace.write("Contacts_deleted.json", """
            {"data":[{"id":"5725767000000524158","type":"recycle","deleted_time":"2025-10-01T09:00:00+00:00",
                      "deleted_by":{"name":"Pat Boyle","id":"5725767000000411001"}}]}
            """)
        #expect(try workspace.run(["load", contacts, deleted]).status == 0)

        let live = try workspace.run(["show", "5725767000000524157", "--json"])
        #expect(live.status == 0)
        #expect(live.stdout == #"{"module":"Contacts","location":"live","record":{"id":"5725767000000524157","First_Name":"Ann","Last_Name":"Lee","Email":"ann@example.com\#u{00A0}","Owner":"Pat Boyle"}}"# + "\n")

        let binned = try workspace.run(["show", "5725767000000524158", "--json"])
        #expect(binned.stdout.hasPrefix(#"{"module":"Contacts","location":"recycle_bin","record":{"id":"5725767000000524158","First_Name":"Bob""#))

        // Human output shows the invisible character instead of hiding it.
        let text = try workspace.run(["show", "5725767000000524157"])
        #expect(text.stdout.contains(#"ann@example.com\u00A0"#))
    }

    @Test func showUnknownIDExitsTwo() throws {
        let workspace = try Workspace()
        #expect(try workspace.run(["load", try workspace.write("Contacts.csv", Self.contacts)]).status == 0)
        let outcome = try workspace.run(["show", "5725767000000999999"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("no record with id 5725767000000999999"))
    }
}
