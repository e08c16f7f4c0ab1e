import Catalogue
import Formats
import Foundation
import Ingest
import Persistence
import Testing

/// Each input format, loaded from a small file the test writes, and what it left in the replica.
@Suite("Loader: formats")
struct LoaderFormatTests {
    static let uiExport = #"""
        Contacts export 2025-10-16\#r
        Record Id,First Name,Last Name,Email,Secondary Email,Contact Owner,Created Time,Loyalty Tier,Description\#r
        5725767000000524157,Ann,Lee,ann@example.com\#u{00A0},,Pat Boyle,2025-10-16 10:00:00,Gold,"line one\#r
        line two, with ""quotes"""\#r
        5725767000000524158,Bob,Ray,BOB@Example.com,bob@example.org,Pat Boyle,2025-10-16 10:01:00,,\#r

        """#

    @Test func uiExportKeepsEveryCellExactly() throws {
        let fixture = try LoaderFixture()
        let path = try fixture.write("Contacts_2025_10_16.csv", Self.uiExport)
        let report = try fixture.load(path)
        #expect(report == FileReport(path: path, module: "Contacts", format: "ui-csv", read: 2, inserted: 2, updated: 0,
                                     unchanged: 0, rejected: 0, delimiter: .comma))

        let ann = try #require(try fixture.record("5725767000000524157"))
        #expect(ann.module == .contacts && ann.location == .live)
        // The trailing no-break space survives byte for byte, in the JSON and in the key column.
        #expect(Array(ann.record.text("Email")?.utf8 ?? "".utf8) == Array("ann@example.com\u{00A0}".utf8))
        let column = try fixture.db.scalarText("SELECT Email FROM contacts WHERE id = ?", ["5725767000000524157"])
        #expect(Array(column?.utf8 ?? "".utf8) == Array("ann@example.com\u{00A0}".utf8))
        #expect(ann.record.text("Description") == "line one\r\nline two, with \"quotes\"")
        #expect(ann.record["Secondary_Email"] == .string(""))
        #expect(ann.record["Owner"] == .string("Pat Boyle"))
        #expect(ann.record["Loyalty_Tier"] == .string("Gold"))
        #expect(Array(ann.record.fields.keys) == ["id", "First_Name", "Last_Name", "Email", "Secondary_Email", "Owner",
                                                  "Created_Time", "Loyalty_Tier", "Description"])
        #expect(try fixture.db.scalarText("SELECT data ->> '$.Owner' FROM contacts WHERE id = ?", ["5725767000000524157"]) == "Pat Boyle")

        let bob = try #require(try fixture.record("5725767000000524158"))
        #expect(bob.record.text("Email") == "BOB@Example.com")

        // The custom column is now known to the catalogue under its derived API name and its label.
        let tier = try #require(try FieldCatalogue.load(fixture.db, module: .contacts).field("Loyalty_Tier"))
        #expect(tier.label == "Loyalty Tier" && tier.source == .export && tier.isCustom)
    }

    @Test func uiExportIDsWithTheZcrmPrefixAreKeyedByTheirDigits() throws {
        let fixture = try LoaderFixture()
        _ = try fixture.load("Leads.csv", "Record Id,Last Name,Lead Owner\nzcrm_5725767000000600001,Kim,Pat\n")
        let kim = try #require(try fixture.record("5725767000000600001"))
        #expect(kim.module == .leads)
        #expect(kim.record["id"] == .string("5725767000000600001"))
    }

    @Test func bulkReadKeepsLookupColumnsAsData() throws {
        let fixture = try LoaderFixture()
        let report = try fixture.load("Leads_001.csv", """
            id,Last_Name,Email,Owner,Owner.last_name,Account_Name.Account_Name,Created_Time
            5725767000000700001,Moss,moss@example.org,5725767000000411001,Boyle,Acme,2025-10-16T10:00:00+00:00

            """)
        #expect(report.module == "Leads" && report.format == "bulk-csv" && report.inserted == 1)
        let moss = try #require(try fixture.record("5725767000000700001"))
        #expect(moss.module == .leads)
        #expect(moss.record["Owner.last_name"] == .string("Boyle"))
        #expect(moss.record["Account_Name.Account_Name"] == .string("Acme"))
        #expect(moss.record["Created_Time"] == .string("2025-10-16T10:00:00+00:00"))
        let catalogue = try FieldCatalogue.load(fixture.db, module: .leads)
        #expect(catalogue.field("Owner.last_name") == nil)
        #expect(catalogue.field("Account_Name.Account_Name") == nil)
    }

    @Test func apiPageReadsA19DigitNumericIDExactly() throws {
        let fixture = try LoaderFixture()
        let report = try fixture.load("Leads_page1.json", """
            {"data":[{"id":5725767000000524157,"Last_Name":"Lee","Email":"lee@example.org",
              "Owner":{"name":"Pat Boyle","id":"5725767000000411001"},"Annual_Revenue":12.50,"Email_Opt_Out":false,"Tag":[]}],
             "info":{"per_page":200,"count":1,"page":1,"more_records":false}}
            """)
        #expect(report.module == "Leads" && report.format == "json" && report.read == 1 && report.inserted == 1)
        // Through a Double this id would read 5725767000000524160.
        let lee = try #require(try fixture.record("5725767000000524157"))
        #expect(lee.record["id"] == .string("5725767000000524157"))
        #expect(lee.record["Annual_Revenue"] == .number("12.50"))
        #expect(lee.record["Email_Opt_Out"] == .bool(false))
        #expect(lee.record["Tag"] == .array([]))
        #expect(lee.record["info"] == nil)
        #expect(try fixture.db.scalarText("SELECT data ->> '$.Owner.id' FROM leads WHERE id = ?", ["5725767000000524157"]) == "5725767000000411001")
    }

    @Test func ndjsonLoadsLineByLineSkippingBlankLines() throws {
        let fixture = try LoaderFixture()
        let report = try fixture.load("Contacts.ndjson", """
            {"id":"5725767000000800001","Last_Name":"One","Email":"one@example.com"}\r
            \r
            {"id":5725767000000800002,"Last_Name":"Two","Phone":"+1 555 0100"}

            """)
        #expect(report.module == "Contacts" && report.format == "ndjson" && report.read == 2 && report.inserted == 2)
        #expect(try fixture.record("5725767000000800002")?.record["Phone"] == .string("+1 555 0100"))
        #expect(try fixture.count("contacts") == 2)
    }

    @Test func deletedRecordsMoveKnownRecordsToTheBinWithTheirFields() throws {
        let fixture = try LoaderFixture()
        _ = try fixture.load("Contacts.csv", "Record Id,Last Name,Email\n5725767000000900001,Gone,gone@example.com\n")
        let deleted = """
            {"data":[
              {"id":"5725767000000900001","display_name":"Gone","type":"recycle",
               "deleted_by":{"name":"Pat Boyle","id":"5725767000000411001"},
               "created_by":{"name":"Pat Boyle","id":"5725767000000411001"},"deleted_time":"2025-10-01T09:00:00+00:00"},
              {"id":"5725767000000900002","display_name":null,"type":"permanent","deleted_by":null,"created_by":null,
               "deleted_time":"2025-09-01T09:00:00+00:00"}
            ],"info":{"count":2,"more_records":false}}
            """
        let path = try fixture.write("Contacts_deleted.json", deleted)
        let report = try fixture.load(path)
        #expect(report == FileReport(path: path, module: "Contacts", format: "deleted", read: 2, inserted: 1, updated: 1,
                                     unchanged: 0, rejected: 0))

        #expect(try fixture.count("contacts") == 0)
        let gone = try #require(try fixture.record("5725767000000900001"))
        #expect(gone.location == .recycleBin && gone.fieldsKnown)
        #expect(gone.record["Email"] == .string("gone@example.com"))
        #expect(gone.deletion?.byName == "Pat Boyle" && gone.deletion?.time == "2025-10-01T09:00:00+00:00")
        #expect(try fixture.db.scalarText("SELECT Email FROM recycle_bin WHERE id = ?", ["5725767000000900001"]) == "gone@example.com")

        let unknown = try #require(try fixture.record("5725767000000900002"))
        #expect(unknown.location == .recycleBin && !unknown.fieldsKnown)
        #expect(unknown.deletion?.type == "permanent")

        let again = try fixture.load(path)
        #expect(again.read == 2 && again.unchanged == 2)
    }

    @Test func fieldMetadataMakesFieldsUniqueAndRebuildsTheSideIndex() throws {
        let fixture = try LoaderFixture()
        _ = try fixture.load("Contacts.csv", "Record Id,Last Name,Phone,Loyalty ID\n5725767000001000001,Uno,+1 555 0101,L-1\n")
        #expect(try fixture.count("field_values") == 0)

        let metadata = """
            {"fields":[
              {"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{},"custom_field":false},
              {"api_name":"Email","field_label":"Email","data_type":"email","unique":{},"custom_field":false},
              {"api_name":"Phone","display_label":"Phone","data_type":"phone","unique":{"case_sensitive":false}},
              {"api_name":"Loyalty_ID","field_label":"Loyalty ID","data_type":"text","unique":{"case_sensitive":false},"custom_field":true}
            ]}
            """
        let path = try fixture.write("Contacts_fields.json", metadata)
        let report = try fixture.load(path)
        // Loyalty_ID was known from the export's column: the metadata updates it.
        #expect(report == FileReport(path: path, module: "Contacts", format: "fields", read: 4, inserted: 3, updated: 1,
                                     unchanged: 0, rejected: 0))

        let catalogue = try FieldCatalogue.load(fixture.db, module: .contacts)
        #expect(catalogue.uniqueFields.map(\.apiName) == ["Phone", "Loyalty_ID"])
        #expect(catalogue.field("Last_Name")?.systemMandatory == true)
        #expect(catalogue.field("Loyalty_ID")?.source == .metadata)
        // Loyalty_ID has no column of its own, so its values now sit in the side index.
        let indexed = try fixture.db.statement("SELECT record_id, location, field, value FROM field_values")
            .rows { [$0.text(0), $0.text(1), $0.text(2), $0.text(3)] }
        #expect(indexed == [["5725767000001000001", "live", "Loyalty_ID", "L-1"]])

        let before = try fixture.dump()
        let again = try fixture.load(path)
        #expect(again.unchanged == 4 && again.inserted == 0 && again.updated == 0)
        #expect(try fixture.dump() == before)
    }

    @Test func duplicateCheckPreferenceStoresTypeRawAndMappings() throws {
        let fixture = try LoaderFixture()
        let mapped = """
            {"duplicate_check_preference":{"type":"mapped_module_records","type_configurations":[
              {"mapped_module":{"api_name":"Contacts","id":"5725767000000002179"},
               "field_mappings":[{"current_field":{"api_name":"Email","id":"1"},"mapped_field":{"api_name":"Email","id":"2"}},
                                 {"current_field":{"api_name":"Phone"},"mapped_field":{"api_name":"Mobile"}}]}]}}
            """
        let report = try fixture.load("duplicate_check_preference.json", mapped)
        #expect(report.module == "Leads" && report.format == "duplicate-check-preference" && report.inserted == 1)
        #expect(try fixture.db.scalarText("SELECT type FROM duplicate_check_preference WHERE module = 'Leads'") == "mapped_module_records")
        let raw = try #require(try fixture.db.scalarText("SELECT raw FROM duplicate_check_preference WHERE module = 'Leads'"))
        #expect(try JSON.parse(raw)["type"] == .string("mapped_module_records"))
        let mappings = try fixture.db.statement("SELECT current_field, mapped_module, mapped_field FROM duplicate_check_mappings ORDER BY position")
            .rows { [$0.text(0), $0.text(1), $0.text(2)] }
        #expect(mappings == [["Email", "Contacts", "Email"], ["Phone", "Contacts", "Mobile"]])

        #expect(try fixture.load("duplicate_check_preference.json", mapped).unchanged == 1)
        let converted = try fixture.load("preference.json", #"{"duplicate_check_preference":{"type":"converted_records"}}"#)
        #expect(converted.updated == 1)
        #expect(try fixture.count("duplicate_check_mappings") == 0)
    }

    @Test func campaignsGoToTheCampaignsTable() throws {
        let fixture = try LoaderFixture()
        let csv = try fixture.load("Campaigns.csv", "Record Id,Campaign Name,Campaign Owner,Status\n5725767000002000001,Spring Launch,Pat Boyle,Active\n")
        #expect(csv.module == "Campaigns" && csv.inserted == 1)
        // Exports are what they are: a campaign without a name still loads.
        let json = try fixture.load("Campaigns.json", #"{"data":[{"id":"5725767000002000002","Type":"Webinar"}]}"#)
        #expect(json.module == "Campaigns" && json.inserted == 1)
        let names = try fixture.db.statement("SELECT id, Campaign_Name FROM campaigns ORDER BY id").rows { [$0.text(0), $0.text(1)] }
        #expect(names == [["5725767000002000001", "Spring Launch"], ["5725767000002000002", nil]])
        #expect(try fixture.count("contacts") == 0)
    }

    @Test func membershipCSVUpsertsOnThePair() throws {
        let fixture = try LoaderFixture()
        let members = """
            Campaign Id,Member Id,Member Module,Member Status,Campaign Name
            5725767000002000001,5725767000000524157,Contacts,Active,Spring Launch
            5725767000002000001,5725767000000700001,Leads,Planning,Spring Launch

            """
        let path = try fixture.write("campaign_members.csv", members)
        let report = try fixture.load(path)
        #expect(report == FileReport(path: path, module: nil, format: "members-csv", read: 2, inserted: 2, updated: 0,
                                     unchanged: 0, rejected: 0, delimiter: .comma))
        #expect(try fixture.load(path).unchanged == 2)

        let changed = try fixture.load("campaign_members.csv", members.replacingOccurrences(of: "Planning", with: "Active"))
        #expect(changed.updated == 1 && changed.unchanged == 1)
        let rows = try fixture.db.statement("SELECT member_module, member_id, member_status FROM campaign_members ORDER BY member_id")
            .rows { [$0.text(0), $0.text(1), $0.text(2)] }
        #expect(rows == [["Contacts", "5725767000000524157", "Active"], ["Leads", "5725767000000700001", "Active"]])
    }

    @Test func relatedListPageAddsMembersOfTheGivenCampaign() throws {
        let fixture = try LoaderFixture()
        let page = """
            {"data":[{"id":"5725767000000524157","Member_Status":"Active","Last_Name":"Lee"},
                     {"id":5725767000000524158,"Member_Status":null}],"info":{"count":2}}
            """
        let options = LoadOptions(campaignID: "5725767000002000001")
        let report = try fixture.load("Campaign_Contacts.json", page, options)
        #expect(report.module == "Contacts" && report.format == "related-json" && report.inserted == 2)
        let rows = try fixture.db.statement("SELECT campaign_id, member_module, member_id, member_status FROM campaign_members ORDER BY member_id")
            .rows { [$0.text(0), $0.text(1), $0.text(2), $0.text(3)] }
        #expect(rows == [["5725767000002000001", "Contacts", "5725767000000524157", "Active"],
                         ["5725767000002000001", "Contacts", "5725767000000524158", nil]])
        // Only the membership is stored: the partial member records are not.
        #expect(try fixture.count("contacts") == 0)

        let leads = try fixture.load("members.json", page, LoadOptions(module: .leads, campaignID: "5725767000002000001"))
        #expect(leads.module == "Leads" && leads.inserted == 2)
    }

    @Test func importLogRecordsEachLoadWithTheFileDigest() throws {
        let fixture = try LoaderFixture()
        let text = "Record Id,Last Name\n5725767000003000001,Log\n"
        let path = try fixture.write("Contacts.csv", text)
        _ = try fixture.load(path)
        _ = try fixture.load(path)
        let rows = try fixture.db.statement("SELECT kind, source, sha256, module, format, read, inserted, unchanged FROM import_log ORDER BY seq")
            .rows { row in (Int32(0)..<8).map { "\(row.value($0))" } }
        let digest = try sha256sum(path)
        let source = URL(fileURLWithPath: path).standardizedFileURL.path
        #expect(rows == [["'load'", "'\(source)'", "'\(digest)'", "'Contacts'", "'ui-csv'", "1", "1", "0"],
                         ["'load'", "'\(source)'", "'\(digest)'", "'Contacts'", "'ui-csv'", "1", "0", "1"]])
    }

    /// The digest as coreutils computes it, independently of the loader's own code.
    private func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}

@Suite("Loader: reload")
struct LoaderReloadTests {
    @Test func reloadingEveryFormatChangesNothing() throws {
        let fixture = try LoaderFixture()
        let files: [(String, String, LoadOptions)] = [
            ("Contacts.csv", LoaderFormatTests.uiExport, LoadOptions()),
            ("Leads_001.csv", "id,Last_Name,Email,Owner.last_name\n5725767000000700001,Moss,moss@example.org,Boyle\n", LoadOptions()),
            ("Leads.json", #"{"data":[{"id":5725767000000700002,"Last_Name":"Page","Owner":{"name":"Pat","id":"1"}}]}"#, LoadOptions()),
            ("Contacts.ndjson", #"{"id":"5725767000000800001","Last_Name":"One"}"# + "\n", LoadOptions()),
            ("Contacts_fields.json", #"{"fields":[{"api_name":"Phone","field_label":"Phone","data_type":"phone","unique":{"case_sensitive":false}}]}"#, LoadOptions()),
            ("Contacts_deleted.json", #"{"data":[{"id":"5725767000000524158","type":"recycle","deleted_time":"2025-10-01T09:00:00+00:00","deleted_by":{"name":"Pat","id":"1"},"created_by":null,"display_name":null}]}"#, LoadOptions()),
            ("preference.json", #"{"duplicate_check_preference":{"type":"converted_records"}}"#, LoadOptions()),
            ("Campaigns.json", #"{"data":[{"id":"5725767000002000001","Campaign_Name":"Spring"}]}"#, LoadOptions()),
            ("members.csv", "Campaign Id,Member Id,Member Module,Member Status\n5725767000002000001,5725767000000524157,Contacts,Active\n", LoadOptions()),
            ("Campaign_Leads.json", #"{"data":[{"id":"5725767000000700001","Member_Status":"Sent"}]}"#, LoadOptions(campaignID: "5725767000002000001")),
        ]
        var paths: [String] = []
        for (name, text, options) in files {
            let report = try fixture.load(name, text, options)
            #expect(report.read > 0 && report.unchanged < report.read, "first load of \(name) wrote something")
            paths.append(fixture.directory.appendingPathComponent(name).path)
        }
        let before = try fixture.dump()
        for (path, file) in zip(paths, files) {
            let report = try fixture.load(path, file.2)
            #expect(report.unchanged == report.read && report.inserted == 0 && report.updated == 0, "reload of \(file.0)")
        }
        #expect(try fixture.dump() == before)
        #expect(try fixture.count("import_log") == 2 * files.count)
    }
}
