import Foundation
import Testing

/// `replay` where a new user could be misled: requests Zoho refused, result files with line
/// breaks in cells, `--explain` and `--compare` without the rest, and the help text.
@Suite("CLI: replay answers a new user can trust")
struct ReplayTrustCLITests {
    static let insertAnswer = #"{"data":[{"code":"SUCCESS","action":"insert","duplicate_field":null,"details":{"id":"9"},"message":"record added","status":"success"}]}"#
    static let invalidToken = #"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#
    static let tooMany = #"{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}"#
    static let upsert = #"{"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"A","Email":"new@example.com"}],"duplicate_check_fields":["Email"]}"#

    /// The same upsert refused three times (401, 429, a 500 without a body), then answered.
    static let retriedLog = [
        upsert + #","status":401,"response":\#(invalidToken)}"#,
        upsert + #","status":429,"response":\#(tooMany)}"#,
        upsert + #","status":500}"#,
        upsert + #","status":201,"response":\#(insertAnswer)}"#,
    ].joined(separator: "\n") + "\n"

    /// Excel writes a line break in a cell as CRLF; the result file must still parse, cell for cell.
    @Test func resultFileQuotesCellsWithLineBreaks() throws {
        let workspace = try ReplayCLITests.replica()
        let input = try workspace.write("rows.csv", "Last_Name,Email,Description\r\n\"Lee\",ann@example.com,\"line1\r\nline2\"\r\nNew,new@example.com,\"a\rb\"\r\n")
        let result = workspace.directory.appendingPathComponent("result.csv").path
        let outcome = try workspace.run(["replay", input, "--module", "Contacts", "--operation", "upsert", "--find-by", "Email", "--csv", result])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                print(json.dumps(list(csv.reader(f, strict=True))))
            """
        let parsed = try CLI.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, result], in: workspace.directory)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String]])
        #expect(rows.count == 3)
        #expect(rows.first == ["Last_Name", "Email", "Description", "STATUS", "RECORD_ID", "ERRORS"])
        #expect(rows.dropFirst().first == ["Lee", "ann@example.com", "line1\r\nline2", "UPDATED", "5725767000000100001", ""])
        #expect(rows.last?[2] == "a\rb")
    }

    @Test func compareWithoutAnswersIsAnError() throws {
        let workspace = try ReplayCLITests.replica()
        let path = try workspace.write("requests.ndjson", ReplayCLITests.log)
        let outcome = try workspace.run(["replay", path, "--compare"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("nothing to compare: the input has no responses; give --compare FILE"))
        #expect(!outcome.stdout.contains("Compared 0 requests"))
    }
}
