import Foundation
import TestSupport
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

    @Test func requestsZohoRefusedAreComparedAsSuchAndNotApplied() throws {
        let workspace = try ReplayCLITests.replica()
        let path = try workspace.write("retried.ndjson", Self.retriedLog)
        let text = try workspace.run(["replay", path])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("Request 1: POST /crm/v2/Contacts/upsert (\(path):1): refused by Zoho: INVALID_TOKEN (HTTP 401), not applied."))
        #expect(text.stdout.contains("Request 2: POST /crm/v2/Contacts/upsert (\(path):2): refused by Zoho: TOO_MANY_REQUESTS (HTTP 429), not applied."))
        #expect(text.stdout.contains("Request 3: POST /crm/v2/Contacts/upsert (\(path):3): refused by Zoho: HTTP 500, not applied."))
        #expect(text.stdout.contains("Request 4: POST /crm/v2/Contacts/upsert (\(path):4): 1 item, 1 added, 0 updated, 0 failed"))
        #expect(text.stdout.contains("Total: 4 requests (3 refused by Zoho, not applied: INVALID_TOKEN 1, TOO_MANY_REQUESTS 1, HTTP 500 1), 1 item, 1 added"))
        #expect(text.stdout.contains("Compared 4 requests with the real answers: no differences."))

        let json = try workspace.run(["replay", path, "--json"])
        #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
        #expect(json.lines.count == 4)
        #expect(json.lines[0] == #"{"$replica":{"refused":{"status":401,"code":"INVALID_TOKEN"}},"compare":[]}"#)
        #expect(json.lines[2] == #"{"$replica":{"refused":{"status":500,"code":null}},"compare":[]}"#)
        let retry = try ReplayCLITests.object(json.lines[3])
        #expect(Array(retry.keys).sorted() == ["compare", "data"])
        #expect((retry["data"] as? [[String: Any]])?.first?["action"] as? String == "insert")
        #expect((retry["compare"] as? [Any])?.isEmpty == true)
    }

    /// A HAR capture records the same story: the refused entry is not applied, the retry inserts.
    @Test func harEntriesZohoRefusedAreNotApplied() throws {
        let workspace = try ReplayCLITests.replica()
        func entry(_ status: Int, _ answer: String) -> String {
            let body = #"{"data":[{"Last_Name":"A","Email":"new@example.com"}]}"#
            return """
                {"request":{"method":"POST","url":"https://www.zohoapis.eu/crm/v8/Contacts/upsert","postData":{"text":\(Self.quoted(body))}},
                 "response":{"status":\(status),"content":{"text":\(Self.quoted(answer))}}}
                """
        }
        let path = try workspace.write("capture.har", #"{"log":{"entries":["# + entry(401, Self.invalidToken) + "," + entry(201, Self.insertAnswer) + "]}}")
        let outcome = try workspace.run(["replay", path])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("$.log.entries[0]): refused by Zoho: INVALID_TOKEN (HTTP 401), not applied."))
        #expect(outcome.stdout.contains("Total: 2 requests (1 refused by Zoho, not applied: INVALID_TOKEN 1), 1 item, 1 added, 0 updated"))
        #expect(outcome.stdout.contains("Compared 2 requests with the real answers: no differences."))
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
    }

    /// The same holds for the answers of `--compare FILE`, which carry no HTTP status: the shape
    /// of a request-level error says Zoho wrote nothing.
    @Test func refusalsInACompareFileAreNotAppliedEither() throws {
        let workspace = try ReplayCLITests.replica()
        let path = try workspace.write("requests.ndjson", Self.upsert + "}\n" + Self.upsert + "}\n")
        let real = try workspace.write("real.ndjson", Self.invalidToken + "\n" + Self.insertAnswer + "\n")
        let outcome = try workspace.run(["replay", path, "--compare", real])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("refused by Zoho: INVALID_TOKEN, not applied."))
        #expect(outcome.stdout.contains("Compared 2 requests with the real answers: no differences."))
        let json = try workspace.run(["replay", path, "--json", "--compare=\(real)"])
        #expect(json.lines.first == #"{"$replica":{"refused":{"status":null,"code":"INVALID_TOKEN"}},"compare":[]}"#)
    }

    /// A refusal the replica models (more than batch_limit records) is compared: the same
    /// refusal matches, and a replica that would have run the request differs.
    @Test func aRefusalTheReplicaPredictsIsComparedWithIt() throws {
        let workspace = try ReplayCLITests.replica()
        let records = (1...101).map { #"{"Last_Name":"L\#($0)","Email":"bulk\#($0)@example.com"}"# }.joined(separator: ",")
        let limit = #"{"code":"LIMIT_EXCEEDED","details":{"limit":100},"message":"Record count exceeded","status":"error"}"#
        let path = try workspace.write("big.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[\(records)]},"status":400,"response":\(limit)}

            """)
        let same = try workspace.run(["replay", path])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("refused by Zoho: LIMIT_EXCEEDED (HTTP 400), not applied; the replica refuses it too (the limit is 100)."))
        #expect(same.stdout.contains("Compared 1 request with the real answers: no differences."))

        let count = { try CLI.execute(URL(fileURLWithPath: "/usr/bin/sqlite3"), [workspace.database, "SELECT count(*) FROM contacts"],
                                      in: workspace.directory).stdout }
        let before = try count()
        let other = try workspace.run(["replay", path, "--set", "batch_limit=200", "--json", "--commit"])
        #expect(other.status == 1, "\(other.stdout)\(other.stderr)")
        let line = try ReplayCLITests.object(try #require(other.lines.first))
        let compare = try #require(line["compare"] as? [[String: Any]])
        #expect(compare.count == 1)
        #expect(compare.first?["field"] as? String == "code")
        #expect(compare.first?["predicted"] is NSNull)
        #expect(compare.first?["real"] as? String == "LIMIT_EXCEEDED")
        // Not applied, even with --commit: Zoho wrote none of the 101 records.
        #expect(try count() == before)
        #expect(before == "3\n")
    }

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

    /// `--explain` in the human report shows the evidence `--json --explain` carries.
    @Test func explainWithoutJSONPrintsTheEvidence() throws {
        let workspace = try ReplayCLITests.replica()
        let path = try workspace.write("batch.json", #"{"data":[{"Last_Name":"B","Email":"SAM@example.com"},{"Last_Name":"C","Email":"ann@example.com"}],"duplicate_check_fields":["Email"]}"#)
        let plain = try workspace.run(["replay", path, "--module", "Contacts"])
        let explained = try workspace.run(["replay", path, "--module", "Contacts", "--explain"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout != plain.stdout)
        #expect(explained.stdout.contains("    check pattern: Email"))
        #expect(explained.stdout.contains("Contacts live 5725767000000100002 Email `Sam@Example.com` (case): counts"))
        #expect(explained.stdout.contains("Contacts live 5725767000000100003 Email `sam@example.com` (case): counts"))
        // The success is explained too: which record it updates, and what would change it.
        #expect(explained.stdout.contains("  $.data[1]: SUCCESS (update)."))
        #expect(explained.stdout.contains("Contacts live 5725767000000100001 Email `ann@example.com` (exact): counts"))
        #expect(explained.stdout.contains("    with multi_match="))
    }

    @Test func compareWithoutAnswersIsAnError() throws {
        let workspace = try ReplayCLITests.replica()
        let path = try workspace.write("requests.ndjson", ReplayCLITests.log)
        let outcome = try workspace.run(["replay", path, "--compare"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("nothing to compare: the input has no responses; give --compare FILE"))
        #expect(!outcome.stdout.contains("Compared 0 requests"))
    }

    @Test func helpSaysJSONIsOneEnvelopePerLine() throws {
        let outcome = try CLI.run(["replay", "--help"], in: FileManager.default.temporaryDirectory)
        #expect(outcome.status == 0)
        let help = outcome.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("NDJSON: one Zoho envelope per line"))
        #expect(!help.contains("one JSON document"))
    }
}
