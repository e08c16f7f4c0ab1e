import Foundation
import TestSupport
import Testing

/// Bulk Write's find_by and CSV separator as Zoho has them, through the built binary.
@Suite("CLI: Bulk Write find_by and separator")
struct BulkWriteFidelityCLITests {
    /// ReplayCLITests' two contacts sharing an email (in different case), with the metadata
    /// then loaded again without Email's `unique`, as most orgs have it: only its being the
    /// system duplicate-check field lets it be find_by.
    static func replica() throws -> Workspace {
        let workspace = try ReplayCLITests.replica()
        let fields = try workspace.write("Contacts_fields.json", """
            {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true},
             {"api_name":"Email","field_label":"Email","data_type":"email","system_mandatory":false}]}
            """)
        _ = try workspace.succeed(["load", fields, "--module", "Contacts"])
        return workspace
    }

    static let rows = [["Last_Name", "Email"], ["Lee", "ANN@example.com"], ["X", "sam@example.com"], ["New", "new@example.com"]]

    func replay(_ workspace: Workspace, _ name: String, separator: String, operation: String = "upsert") throws -> (CommandResult, String) {
        let input = try workspace.write(name, Self.rows.map { $0.joined(separator: separator) + "\n" }.joined())
        let result = workspace.directory.appendingPathComponent(name + ".result.csv").path
        let outcome = try workspace.run(["replay", input, "--module", "Contacts", "--operation", operation, "--find-by", "Email", "--csv", result])
        return (outcome, (try? String(contentsOfFile: result, encoding: .utf8)) ?? "")
    }

    @Test func findByTheSystemDuplicateCheckFieldSkipsARowWithSeveralHolders() throws {
        let workspace = try Self.replica()
        let (upsert, upserted) = try replay(workspace, "rows.csv", separator: ",")
        #expect(upsert.status == 0, "\(upsert.stderr)")
        #expect(upserted == """
            Last_Name,Email,STATUS,RECORD_ID,ERRORS\r
            Lee,ANN@example.com,UPDATED,5725767000000100001,\r
            X,sam@example.com,SKIPPED,,DUPLICATE_DATA-Email\r
            New,new@example.com,ADDED,5725767000000100004,\r

            """)
        #expect(upsert.stdout.contains("2 Contacts records (5725767000000100002, 5725767000000100003) hold Email `sam@example.com`; with multi_match=error"))

        // An insert with find_by skips every row that matches: the one holder, and the several.
        let (insert, inserted) = try replay(workspace, "insert.csv", separator: ",", operation: "insert")
        #expect(insert.status == 0, "\(insert.stderr)")
        #expect(inserted == """
            Last_Name,Email,STATUS,RECORD_ID,ERRORS\r
            Lee,ANN@example.com,SKIPPED,,DUPLICATE_DATA-Email\r
            X,sam@example.com,SKIPPED,,DUPLICATE_DATA-Email\r
            New,new@example.com,ADDED,5725767000000100004,\r

            """)
        #expect(insert.stdout.contains("with multi_match=error upsert cannot choose one"))

        // Any other field that is not unique is still refused, and the message lists Email.
        let database = URL(fileURLWithPath: workspace.database)
        let before = try Data(contentsOf: database)
        let input = try workspace.write("other.csv", "Last_Name,Email\nLee,a@example.com\n")
        let refused = try workspace.run(["replay", input, "--module", "Contacts", "--operation", "upsert", "--find-by", "Last_Name"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--find-by `Last_Name`"))
        #expect(refused.stderr.contains("use one of: id, Email"))
        #expect(try Data(contentsOf: database) == before)
    }

    /// Zoho detects `,` `;` `:` `|`: every one gives the same answers, and the report names any but the comma.
    @Test func theSeparatorIsDetectedFromTheHeaderLine() throws {
        let workspace = try Self.replica()
        let (comma, expected) = try replay(workspace, "comma.csv", separator: ",")
        #expect(comma.status == 0, "\(comma.stderr)")
        #expect(!comma.stdout.contains("The fields are separated by"))
        for (index, (separator, name)) in [(";", "semicolons"), (":", "colons"), ("|", "`|`")].enumerated() {
            let (outcome, result) = try replay(workspace, "rows-\(index).csv", separator: separator)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("The fields are separated by \(name), not commas (Bulk Write detects"), "\(outcome.stdout)")
            #expect(!outcome.stdout.contains("is not a field of Contacts"))
            #expect(result == expected, "separator \(separator)")
        }
    }
}
