import Foundation
import TestSupport
import Testing

/// A record whose Phone and Member_Number both belong to other contacts, through the built
/// binary: one `MULTIPLE_OR_MULTI_ERRORS` item, counted, compared, explained and written to a
/// Bulk Write result by its wrapped errors.
@Suite("CLI: several errors in one record")
struct MultipleErrorsCLITests {
    static let fields = """
        {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
         {"api_name":"Email","field_label":"Email","data_type":"email","system_mandatory":false,"unique":{}},
         {"api_name":"Phone","field_label":"Phone","data_type":"phone","system_mandatory":false,"unique":{"case_sensitive":false}},
         {"api_name":"Member_Number","field_label":"Member Number","data_type":"text","custom_field":true,"system_mandatory":false,"unique":{"case_sensitive":false}}]}
        """

    /// Ann is found by Email; Bea holds the Phone and Cy the member number that Ann's row carries.
    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Contacts_fields.json", fields, module: "Contacts")
        try replica.load("Contacts.csv", """
            id,Last_Name,Email,Phone,Member_Number,Created_Time
            5725767000000100001,Ann,ann@example.com,,,2024-01-01T00:00:00+00:00
            5725767000000100002,Bea,bea@example.com,+1 206 555 0100,,2024-01-02T00:00:00+00:00
            5725767000000100003,Cy,cy@example.com,,MBR-1,2024-01-03T00:00:00+00:00

            """)
        return replica
    }

    static let batch = """
        {"data":[{"Last_Name":"Ann","Email":"ann@example.com","Phone":"+1 206 555 0100","Member_Number":"MBR-1"},
                 {"Last_Name":"Bea","Email":"bea@example.com","Member_Number":"MBR-1"}],
         "duplicate_check_fields":["Email"]}
        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func replayAnswersOneItemWrappingADuplicatePerFieldAndCountsThem() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", Self.batch)
        let run = try replica.run(["replay", batch, "--module", "Contacts", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let items = try #require(try Self.json(run.stdout)["data"] as? [[String: Any]])
        #expect(items.first?["code"] as? String == "MULTIPLE_OR_MULTI_ERRORS")
        #expect(items.first?["message"] as? String == "Multiple errors in the request")
        let errors = try #require((items.first?["details"] as? [String: Any])?["errors"] as? [[String: Any]])
        let details = errors.compactMap { $0["details"] as? [String: Any] }
        #expect(details.map { $0["api_name"] as? String } == ["Phone", "Member_Number"])
        #expect(details.map { $0["id"] as? String } == ["5725767000000100002", "5725767000000100003"])
        #expect(details.map { ($0["duplicate_record"] as? [String: Any])?["id"] as? String } == ["5725767000000100002", "5725767000000100003"])
        #expect(details.map { $0["json_path"] as? String } == ["$.data[0].Phone", "$.data[0].Member_Number"])
        // Bea's row clashes once, on Cy's member number: a plain DUPLICATE_DATA, with details.id too.
        #expect(items.last?["code"] as? String == "DUPLICATE_DATA")
        #expect((items.last?["details"] as? [String: Any])?["id"] as? String == "5725767000000100003")

        let text = try replica.run(["replay", batch, "--module", "Contacts"])
        #expect(text.stdout.contains("2 failed (DUPLICATE_DATA 3, 2 of them inside 1 MULTIPLE_OR_MULTI_ERRORS)"), "\(text.stdout)")

        let first = try replica.run(["replay", batch, "--module", "Contacts", "--json", "--set", "multiple_errors=first"])
        let firstItems = try #require(try Self.json(first.stdout)["data"] as? [[String: Any]])
        #expect(firstItems.first?["code"] as? String == "DUPLICATE_DATA")
        #expect((firstItems.first?["details"] as? [String: Any])?["api_name"] as? String == "Phone")
    }

    @Test func compareChecksTheWrappedErrorsOneByOne() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", Self.batch)
        let predicted = try replica.run(["replay", batch, "--module", "Contacts", "--json"])
        let same = try replica.write("same.json", predicted.stdout)
        let agreed = try replica.run(["replay", batch, "--module", "Contacts", "--compare", same])
        #expect(agreed.status == 0, "\(agreed.stdout)\(agreed.stderr)")
        #expect(agreed.stdout.contains("no differences"), "\(agreed.stdout)")

        // Zoho named another holder for the member number: the second wrapped error differs.
        let changed = predicted.stdout.replacingOccurrences(of: "\"id\":\"5725767000000100003\"", with: "\"id\":\"5725767000000100009\"")
        #expect(changed != predicted.stdout)
        let real = try replica.write("real.json", changed)
        let differs = try replica.run(["replay", batch, "--module", "Contacts", "--compare", real])
        #expect(differs.status == 1, "\(differs.stdout)\(differs.stderr)")
        #expect(differs.stdout.contains("errors[1].record_id: predicted 5725767000000100003, real 5725767000000100009"), "\(differs.stdout)")

        // One error fewer inside the wrapper is a difference in their number.
        // One error fewer inside the wrapper is a difference in their number (answers are one per line).
        let fewer = try replica.write("fewer.json", """
            {"data":[{"code":"MULTIPLE_OR_MULTI_ERRORS","details":{"errors":[{"code":"DUPLICATE_DATA","details":{"api_name":"Phone","duplicate_record":{"id":"5725767000000100002"}},"message":"duplicate data","status":"error"}]},"message":"Multiple errors in the request","status":"error"},{"code":"DUPLICATE_DATA","details":{"api_name":"Member_Number","duplicate_record":{"id":"5725767000000100003"}},"message":"duplicate data","status":"error"}]}

            """)
        let counted = try replica.run(["replay", batch, "--module", "Contacts", "--compare", fewer])
        #expect(counted.stdout.contains("errors: predicted 2, real 1"), "\(counted.stdout)")
    }

    @Test func whyExplainsOneFailureWithSeveralCauses() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", Self.batch)
        let why = try replica.run(["why", "ann@example.com", "--batch", batch, "--row", "0"])
        #expect(why.status == 0, "\(why.stderr)")
        #expect(why.stdout.contains("MULTIPLE_OR_MULTI_ERRORS"), "\(why.stdout)")
        #expect(why.stdout.contains("fails on Phone and Member_Number, one error for each"), "\(why.stdout)")
        #expect(why.stdout.contains("    1. Phone is unique"), "\(why.stdout)")
        #expect(why.stdout.contains("    2. Member_Number is unique"), "\(why.stdout)")

        let json = try Self.json(try replica.run(["why", "ann@example.com", "--batch", batch, "--row", "0", "--json"]).stdout)
        let verdict = try #require(json["verdict"] as? [String: Any])
        let errors = try #require(verdict["errors"] as? [[String: Any]])
        #expect(errors.map { $0["record_id"] as? String } == ["5725767000000100002", "5725767000000100003"])
        #expect(errors.allSatisfy { ($0["reason"] as? String)?.contains("is unique") == true })
        let dependsOn = try #require(json["depends_on"] as? [[String: Any]])
        #expect(dependsOn.contains { $0["setting"] as? String == "multiple_errors" })
    }

    @Test func bulkWriteResultListsEveryWrappedError() throws {
        let replica = try Self.org()
        let input = try replica.write("rows.csv", """
            Last_Name,Email,Phone,Member_Number
            Ann,ann@example.com,+1 206 555 0100,MBR-1
            Eve,eve@example.com,,

            """)
        let result = replica.directory.appendingPathComponent("rows.result.csv").path
        let run = try replica.run(["replay", input, "--module", "Contacts", "--operation", "upsert", "--find-by", "Email", "--csv", result])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOfFile: result, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.count == 3, "\(lines)")
        // The cell holds a comma, so it is quoted.
        #expect(lines[1].hasSuffix("SKIPPED,,\"DUPLICATE_DATA-Phone,Member_Number\""), "\(lines[1])")
        #expect(lines[2].contains("ADDED"), "\(lines[2])")
    }
}
