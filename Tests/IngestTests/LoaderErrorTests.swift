import Catalogue
import Foundation
import Ingest
import Persistence
import Testing

/// Bad files: each loads nothing (the database is exactly as before) and the error names the
/// file and the CSV line or JSON path.
@Suite("Loader: malformed files")
struct LoaderErrorTests {
    /// A replica holding one contact, so that "nothing changed" is checked against real content.
    private func seeded() throws -> (LoaderFixture, [String]) {
        let fixture = try LoaderFixture()
        _ = try fixture.load("seed.csv", "Record Id,Last Name,Email\n5725767000000000001,Seed,seed@example.com\n", .module(.contacts))
        return (fixture, try fixture.dump())
    }

    /// Loads `bytes` as `name` into a seeded replica; returns the error after checking that the
    /// database did not change and that the message names the file and `location`.
    private func failure(_ name: String, bytes: [UInt8], options: LoadOptions = LoadOptions(),
                         location: String) throws -> LoadError {
        let (fixture, before) = try seeded()
        let path = try fixture.write(name, bytes: bytes)
        let error = try #require(fixture.loadError(path, options))
        #expect(try fixture.dump() == before)
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path + ": "))
        #expect(error.description.contains(location), "\(error) names \(location)")
        return error
    }

    private func failure(_ name: String, _ text: String, options: LoadOptions = LoadOptions(), location: String) throws -> LoadError {
        try failure(name, bytes: Array(text.utf8), options: options, location: location)
    }

    @Test func raggedRow() throws {
        let error = try failure("Contacts.csv", """
            Record Id,Last Name,Email
            5725767000000000002,Good,good@example.com
            5725767000000000003,Short

            """, location: "line 3")
        #expect(error == .raggedRow(path: error.path, line: 3, expected: 3, found: 2))
    }

    @Test func unterminatedQuote() throws {
        let error = try failure("Contacts.csv", """
            Record Id,Last Name,Description
            5725767000000000002,Good,fine
            5725767000000000003,Open,"never closed

            """, location: "line 3")
        guard case .malformedCSV = error else { Issue.record("expected malformedCSV, got \(error)"); return }
        #expect(error.description.contains("unterminated"))
    }

    @Test func missingIDInCSV() throws {
        let error = try failure("Contacts.csv", """
            Record Id,Last Name
            5725767000000000002,Good
            ,No Id

            """, location: "line 3")
        #expect(error == .missingRecordID(path: error.path, at: .line(3), column: "Record Id"))
    }

    @Test func idThatIsNotAZohoID() throws {
        let error = try failure("Contacts.csv", "Record Id,Last Name\n12ab,Bad\n", location: "line 2")
        #expect(error.description.contains("`12ab`"))
    }

    @Test func invalidUTF8InCSV() throws {
        let bytes = Array("Record Id,Last Name\n5725767000000000002,Good\n5725767000000000003,Bad".utf8) + [0xFF, 0x0A]
        let error = try failure("Contacts.csv", bytes: bytes, location: "line 3")
        #expect(error.description.contains("invalid UTF-8"))
    }

    @Test func invalidUTF8InJSON() throws {
        let bytes = Array(#"{"data":[{"id":"5725767000000000002","Last_Name":"Ok"},"#.utf8) + [0x0A]
            + Array(#"{"id":"5725767000000000003","Last_Name":""#.utf8) + [0xC3, 0x28] + Array(#""}]}"#.utf8)
        let error = try failure("Contacts.json", bytes: bytes, location: "line 2")
        #expect(error == .invalidUTF8(path: error.path, line: 2))
    }

    @Test func badJSONSyntax() throws {
        let error = try failure("Contacts.json", """
            {"data":[
              {"id":"5725767000000000002","Last_Name":"Ok",}
            ]}
            """, location: "line 2, column")
        guard case .malformedJSON = error else { Issue.record("expected malformedJSON, got \(error)"); return }
    }

    @Test func missingIDInJSONNamesThePath() throws {
        let error = try failure("Contacts.json", """
            {"data":[{"id":"5725767000000000002","Last_Name":"Ok"},{"Last_Name":"No id"}]}
            """, location: "$.data[1].id")
        #expect(error == .invalidRecordID(path: error.path, at: .jsonPath("$.data[1].id"), found: ""))
    }

    @Test func fractionalIDIsRejectedNotRounded() throws {
        _ = try failure("Contacts.json", #"{"data":[{"id":5.725767000000000002e18}]}"#, location: "$.data[0].id")
    }

    @Test func dataThatIsNotAnArray() throws {
        let error = try failure("Contacts.json", #"{"data":"x"}"#, location: "$.data")
        #expect(error.description.contains("expected an array"))
    }

    @Test func ndjsonErrorNamesTheLine() throws {
        let error = try failure("Contacts.ndjson", """
            {"id":"5725767000000000002","Last_Name":"Ok"}

            {"id":"5725767000000000003","Last_Name":
            """, location: "line 3")
        guard case .malformedJSON(_, .lineColumn(3, _), _) = error else { Issue.record("expected line 3, got \(error)"); return }
    }

    @Test func ndjsonRecordWithoutID() throws {
        let error = try failure("Contacts.ndjson", "{\"Last_Name\":\"x\"}\n", location: "line 1, $.id")
        #expect(error == .invalidRecordID(path: error.path, at: .lineAndPath(1, "$.id"), found: ""))
    }

    @Test func deletedItemWithAnUnknownType() throws {
        let error = try failure("Contacts_deleted.json", """
            {"data":[{"id":"5725767000000000001","type":"trash","deleted_time":"2025-10-01T09:00:00+00:00"}]}
            """, location: "$.data[0].type")
        #expect(error.description.contains("\"recycle\" or \"permanent\""))
    }

    @Test func fieldMetadataWithoutADataType() throws {
        _ = try failure("Contacts_fields.json", #"{"fields":[{"api_name":"Email","field_label":"Email"}]}"#,
                        location: "$.fields[0].data_type")
    }

    @Test func fieldMetadataListingAFieldTwice() throws {
        let error = try failure("Contacts_fields.json", """
            {"fields":[{"api_name":"Email","field_label":"Email","data_type":"email"},
                       {"api_name":"Email","field_label":"E-mail","data_type":"email"}]}
            """, location: "$.fields[1].api_name")
        #expect(error.description.contains("$.fields[0].api_name"))
    }

    @Test func preferenceMappingToAModuleOtherThanContacts() throws {
        _ = try failure("preference.json", """
            {"duplicate_check_preference":{"type":"mapped_module_records","type_configurations":[
              {"mapped_module":{"api_name":"Accounts"},"field_mappings":[]}]}}
            """, location: "$.duplicate_check_preference.type_configurations[0].mapped_module.api_name")
    }

    @Test func membershipWithAnUnknownMemberModule() throws {
        let error = try failure("members.csv", """
            Campaign Id,Member Id,Member Module,Member Status
            5725767000002000001,5725767000000000001,Contacts,Active
            5725767000002000001,5725767000000000002,Accounts,Active

            """, location: "line 3")
        #expect(error.description.contains("Contacts or Leads"))
    }

    @Test func duplicateHeadersNameBothColumns() throws {
        let error = try failure("Contacts.csv", "Record Id,Last Name,last_name\n5725767000000000002,A,B\n", location: "line 1")
        #expect(error == .duplicateColumn(path: error.path, line: 1, first: "Last Name", second: "last_name", field: "Last_Name"))
    }

    @Test func relatedListWithoutACampaignIDCannotBeForced() throws {
        let error = try failure("Campaign_Contacts.json", #"{"data":[{"id":"5725767000000000001"}]}"#,
                                options: LoadOptions(format: .relatedListJSON), location: "--campaign")
        #expect(error == .campaignRequired(path: error.path))
    }
}

/// Headers are data: they end up as JSON keys and bound labels, never as SQL text.
@Suite("Loader: SQL safety")
struct LoaderSQLSafetyTests {
    @Test func hostileHeaderIsStoredAsDataNotExecuted() throws {
        let fixture = try LoaderFixture()
        let header = #"Email"); DROP TABLE contacts; --"#
        let csv = "Record Id,Last Name,\"Email\"\"); DROP TABLE contacts; --\"\n5725767000000000009,Tables,'); DELETE FROM leads; --\n"
        let report = try fixture.load("Contacts.csv", csv)
        #expect(report.inserted == 1)

        #expect(try fixture.count("contacts") == 1)
        let record = try #require(try fixture.record("5725767000000000009"))
        #expect(record.record["Email_DROP_TABLE_contacts"] == .string("'); DELETE FROM leads; --"))
        #expect(record.record["Email"] == nil)
        let field = try #require(try FieldCatalogue.load(fixture.db, module: .contacts).field("Email_DROP_TABLE_contacts"))
        #expect(field.label == header)

        _ = try fixture.load("Leads.csv", "Record Id,Last Name\n5725767000000000010,Still Here\n")
        #expect(try fixture.count("leads") == 1)
    }

    @Test func headerWithNoLettersIsRejectedWithItsColumn() throws {
        let fixture = try LoaderFixture()
        let path = try fixture.write("Contacts.csv", "Record Id,Last Name,\"\"\"; --\"\n5725767000000000009,A,B\n")
        let error = try #require(fixture.loadError(path))
        #expect(error == .unnamedColumn(path: path, line: 1, column: 3, header: "\"; --"))
        #expect(try fixture.count("contacts") == 0)
    }
}

/// Files that are not exports at all, and what detection cannot tell.
@Suite("Loader: detection")
struct LoaderDetectionTests {
    @Test func moduleFromTheFirstWordOfTheFileName() throws {
        let fixture = try LoaderFixture()
        let bulk = "id,Last_Name\n5725767000000000011,A\n"
        #expect(try fixture.load("Leads_001.csv", bulk).module == "Leads")
        #expect(try fixture.load("Contacts_2025_10_16.csv", bulk.replacingOccurrences(of: "11", with: "12")).module == "Contacts")
        #expect(try fixture.load("export_Campaigns.csv", bulk.replacingOccurrences(of: "11", with: "13")).module == "Campaigns")
    }

    @Test func moduleFromTheOwnerColumnOfAUIExport() throws {
        let fixture = try LoaderFixture()
        let report = try fixture.load("export.csv", "Record Id,Last Name,Lead Owner\n5725767000000000011,A,Pat\n")
        #expect(report.module == "Leads" && report.format == "ui-csv")
    }

    @Test func undetectableModuleSaysWhichFlagToPass() throws {
        let fixture = try LoaderFixture()
        let path = try fixture.write("export.csv", "id,Last_Name\n5725767000000000011,A\n")
        let error = try #require(fixture.loadError(path))
        #expect(error == .undetectableModule(path: path, format: .bulkReadCSV))
        #expect(error.description.contains("--module"))
        #expect(try fixture.load(path, .module(.leads)).module == "Leads")
    }

    @Test func csvWithoutAnIDColumn() throws {
        let fixture = try LoaderFixture()
        let path = try fixture.write("Contacts.csv", "Title\nFirst Name,Last Name\nA,B\n")
        let error = try #require(fixture.loadError(path))
        guard case .missingIDColumn = error else { Issue.record("expected missingIDColumn, got \(error)"); return }
        #expect(error.description.contains("Record Id"))
    }

    @Test func unknownJSONShapeSaysWhichFlagToPass() throws {
        let fixture = try LoaderFixture()
        let path = try fixture.write("Contacts.json", #"{"records":[]}"#)
        let error = try #require(fixture.loadError(path))
        guard case .undetectableFormat = error else { Issue.record("expected undetectableFormat, got \(error)"); return }
        #expect(error.description.contains("--format"))
        let array = try fixture.write("list.json", "[1,2]")
        #expect(fixture.loadError(array) == .unexpected(path: array, at: .jsonPath("$"),
                                                          expected: "an object with `data`, `fields`, `modules` or `duplicate_check_preference`",
                                                          found: "array"))
    }

    @Test func formatFlagOverridesTheExtension() throws {
        let fixture = try LoaderFixture()
        let path = try fixture.write("dump.txt", #"{"id":"5725767000000000011","Last_Name":"A"}"# + "\n")
        let report = try fixture.load(path, LoadOptions(module: .contacts, format: .ndjson))
        #expect(report.format == "ndjson" && report.inserted == 1)
    }

    @Test func fileSystemProblems() throws {
        let fixture = try LoaderFixture()
        let missing = fixture.directory.appendingPathComponent("nope.csv").path
        #expect(fixture.loadError(missing) == .notFound(path: missing))
        #expect(fixture.loadError(fixture.directory.path) == .isDirectory(path: fixture.directory.path))
        let empty = try fixture.write("Contacts.csv", "")
        #expect(fixture.loadError(empty) == .empty(path: empty))
        #expect(fixture.loadError(empty)?.description.contains("empty") == true)
    }
}
