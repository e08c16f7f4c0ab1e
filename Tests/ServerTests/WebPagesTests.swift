import Foundation
import TestSupport
import Testing

/// The pages under `/` that `serve` renders for people who do not use a terminal: fetched from the
/// real binary on the sample org, as a browser would fetch them.
@Suite("serve: web pages", .serialized)
struct WebPagesTests {
    static let pointedAt = "5725767000000524434"
    static let alsoHolds = "5725767000000529749"

    /// A replica of `Samples/zoho-org`, loaded by the real `load`.
    static func sampleOrg() throws -> Workspace {
        let workspace = try Workspace()
        let samples = CLI.packageRoot.appendingPathComponent("Samples/zoho-org")
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted().map { samples.appendingPathComponent($0).path }
        let loaded = try workspace.run(["load"] + files + ["--quiet"])
        try #require(loaded.status == 0, "\(loaded)")
        return workspace
    }

    static let batch = CLI.packageRoot.appendingPathComponent("Samples/batches/campaign-upsert.json")

    /// A `multipart/form-data` body as a browser sends the replay form.
    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: Data)?) -> (body: Data, type: String) {
        let boundary = "----crmReplicaTestBoundary7MA4YWxk"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/json\r\n\r\n".utf8))
            body.append(file.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    static func post(_ server: ServedReplica, _ form: (body: Data, type: String)) async throws -> ServedReplica.Answer {
        try await server.send("POST", "/replay", body: String(decoding: form.body, as: UTF8.self), token: nil, headers: ["Content-Type": form.type])
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func homeShowsTheReplicaSettingsAndTheSearchBox() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let home = try await server.send("GET", "/", token: nil)
        #expect(home.status == 200 && home.contentType?.hasPrefix("text/html") == true)
        #expect(home.text.contains("<label for=\"value\">Why is this email a duplicate?</label>"))
        #expect(home.text.contains("<th scope=\"row\">Contacts</th><td>250</td>"), "\(home.text.prefix(3000))")
        #expect(home.text.contains("Contacts_2026_11_20.csv"), "the files it was loaded from")
        #expect(home.text.contains("<code>recycle_bin_counts</code></th><td><code>false</code></td><td>default</td>"))
        let settings = try await server.send("GET", "/settings", token: nil)
        #expect(settings.status == 200 && settings.text.contains("<code>multi_match</code></th><td><code>error</code></td><td>default</td><td>A value held by several records"))
    }

    @Test func whyPageShowsTheVerdictTheHoldersAndWhatWouldChangeIt() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let why = try await server.send("GET", "/why?value=wei.meyer%40example.net&module=Contacts&operation=upsert", token: nil)
        #expect(why.status == 200)
        #expect(why.text.contains("<strong>DUPLICATE_DATA</strong>"))
        #expect(why.text.contains("<a href=\"/records/\(Self.pointedAt)\">record \(Self.pointedAt)</a>"), "the banner links the record it points at")
        #expect(Self.count("<a href=\"/records/", in: why.text) >= 3, "both holders link to their record pages")
        #expect(why.text.contains("<td class=\"value\">Wei.Meyer@Example.Net</td><td>case</td><td>yes</td>"))
        #expect(why.text.contains("<code>multi_match=oldest</code>: <strong>SUCCESS</strong>"))
        #expect(why.text.contains("Merge or delete one of the 2 Contacts"))
        // A near miss: the invisible no-break space shows escaped, and "counts" says why not in words.
        let nearMiss = try await server.send("GET", "/why?value=aaliyah.castillo%40example.org", token: nil)
        #expect(nearMiss.text.contains("<td class=\"value\">aaliyah.castillo@example.org\\u00A0</td><td>whitespace</td><td>no: differs only by white space"),
                "\(nearMiss.text)")
    }

    @Test func recordPageShowsFieldsAndTheRecordsThatShareItsEmail() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let record = try await server.send("GET", "/records/\(Self.pointedAt)", token: nil)
        #expect(record.status == 200)
        #expect(record.text.contains("Contacts record, <strong>live</strong>"))
        #expect(record.text.contains("<th scope=\"row\"><code>Email</code></th><td class=\"value\">Wei.Meyer@Example.Net</td>"))
        #expect(record.text.contains("<a href=\"/records/\(Self.alsoHolds)\">"), "the other holder of its Email")
        let member = try await server.send("GET", "/records/5725767000000523048", token: nil)
        #expect(member.text.contains("<h2>Campaigns</h2><ul><li>Customer Summit 2025 (Opened)</li></ul>"), "its campaigns and member status")
        let missing = try await server.send("GET", "/records/123", token: nil)
        #expect(missing.status == 404 && missing.text.contains("No record with id 123"))
    }

    /// The sample batch, uploaded as a browser uploads it: every row, its outcome and cause, a dry run.
    @Test func replayPageShowsEveryRowOfTheSampleBatchAndWritesNothing() async throws {
        let workspace = try Self.sampleOrg()
        let before = try DatabaseDump(path: workspace.database)
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let form = Self.multipart([("payload", ""), ("module", "Contacts"), ("operation", "upsert"), ("find_by", ""), ("set", ""), ("download", "")],
                                  file: ("campaign-upsert.json", try Data(contentsOf: Self.batch)))
        let page = try await Self.post(server, form)
        #expect(page.status == 200, "\(page.text.prefix(2000))")
        #expect(page.text.contains("100 items, 52 added, 10 updated, 38 failed (DUPLICATE_DATA 35, 2 of them inside 1 MULTIPLE_OR_MULTI_ERRORS; INVALID_DATA 4)"),
                "\(page.text.prefix(4000))")
        let duplicates = Self.count("<tr class=\"DUPLICATE_DATA\">", in: page.text)
        #expect((30...40).contains(duplicates), "\(duplicates) DUPLICATE_DATA rows")
        #expect(Self.count("<tr class=\"", in: page.text) == 100, "one row per contact")
        #expect(page.text.contains("Email is held by several Contacts"), "each failure's cause in a sentence")
        #expect(page.text.contains("<a href=\"/records/\(Self.pointedAt)\">"), "a failed row links the record it points at")
        #expect(!page.text.contains("<a href=\"/records/5725767000000801022\">"), "an insert's new id exists only in the dry run: no link")
        #expect(page.text.contains("<a href=\"/why?value=") && page.text.contains("&amp;module=Contacts&amp;operation=upsert&amp;batch="))
        #expect(page.text.contains("<svg role=\"img\""))
        #expect(page.text.contains(">Email is held by several Contacts (multi_match=error: upsert cannot choose one)</text>"), "a bar per cause, as demo counts them")
        #expect(page.text.contains("Surprises among the successes"))
        // Row 79 updates the contact row 25 of the same batch inserts: its Why page judges it in the batch.
        let link = try #require(page.text.components(separatedBy: "<a href=\"").first { $0.contains("row=79\"") }?.components(separatedBy: "\"").first)
        let why = try await server.send("GET", link.replacingOccurrences(of: "&amp;", with: "&"), token: nil)
        #expect(why.status == 200 && why.text.contains("Row 79 of the batch"), "\(why.text)")
        #expect(why.text.contains("<strong>SUCCESS</strong> (update)") && why.text.contains("written by row 25 of this batch"), "\(why.text)")
        let stale = try await server.send("GET", "/why?value=a%40b.c&batch=no-such-batch&row=0", token: nil)
        #expect(stale.status == 404 && stale.text.contains("Replay it again"))
        server.stop()
        #expect(try DatabaseDump(path: workspace.database) == before, "a dry run writes nothing")
    }

    @Test func pastedBatchAndBothDownloads() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let text = try String(contentsOf: Self.batch, encoding: .utf8)
        let pasted = try await Self.post(server, Self.multipart([("payload", text), ("module", "Contacts"), ("operation", "upsert")], file: nil))
        #expect(pasted.text.contains("38 failed"))
        let json = try await Self.post(server, Self.multipart([("payload", text), ("module", "Contacts"), ("download", "json")], file: nil))
        #expect(json.contentType == "application/x-ndjson" && json.headers["Content-Disposition"]?.contains("answers.ndjson") == true)
        #expect(Self.count("\"DUPLICATE_DATA\"", in: json.text) >= 33)
        let csv = try await Self.post(server, Self.multipart([("payload", text), ("module", "Contacts"), ("download", "csv")], file: nil))
        let csvPath = workspace.path("result.csv")
        let replayed = try workspace.run(["replay", Self.batch.path, "--module", "Contacts", "--as-of", "2026-11-20T18:00:00+00:00", "--csv", csvPath])
        try #require(replayed.status == 0, "\(replayed)")
        let written = try String(contentsOfFile: csvPath, encoding: .utf8)
        #expect(csv.text.contains("STATUS,RECORD_ID,ERRORS") && csv.text == written,
                "the download is the file replay --csv writes")
        let broken = try await Self.post(server, Self.multipart([("payload", "{\"data\": ["), ("module", "Contacts")], file: nil))
        #expect(broken.status == 400 && broken.text.contains("pasted batch") && broken.text.contains("line 1"), "\(broken.text)")
    }

    /// A request log that carries Zoho's real answers: the comparison beside the prediction, and
    /// the run's own settings (the form's KEY=VALUE lines) that reproduce them.
    @Test func realAnswersAreComparedUnderTheFormsSettings() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let log = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/examples/upsert-log.ndjson"))
        let page = try await Self.post(server, Self.multipart([("set", "")], file: ("upsert-log.ndjson", log)))
        #expect(page.text.contains("<h2>Compared with Zoho's real answers</h2>") && page.text.contains("<th scope=\"col\">Real answer</th>"))
        #expect(Self.count("<li>request 1 (upsert-log.ndjson:1)", in: page.text) == 6, "the 6 differences replay reports")
        let calibrated = try await Self.post(server, Self.multipart([("set", "recycle_bin_counts=true")], file: ("upsert-log.ndjson", log)))
        #expect(calibrated.text.contains("Compared with the real answers in the input: no differences."))
        let wrong = try await Self.post(server, Self.multipart([("set", "recycle_bin_counts=maybe")], file: ("upsert-log.ndjson", log)))
        #expect(wrong.status == 400 && wrong.text.contains("recycle_bin_counts"))
    }

    /// A Bulk Write CSV, uploaded and read from memory, as `replay` reads it from a file.
    @Test func bulkWriteCSVUpload() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let csv = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("Samples/examples/bulk-write.csv"))
        let fields = [("module", "Contacts"), ("operation", "upsert"), ("find_by", "Phone")]
        let page = try await Self.post(server, Self.multipart(fields, file: ("bulk-write.csv", csv)))
        #expect(page.text.contains("6 items, 2 added, 2 updated, 2 failed (DUPLICATE_DATA 2)"), "\(page.text.suffix(3000))")
        #expect(page.text.contains("<td>1 <small>(line 2)</small></td>"), "rows are labelled with their CSV line")
        let download = try await Self.post(server, Self.multipart(fields + [("download", "csv")], file: ("bulk-write.csv", csv)))
        let written = workspace.path("bulk-result.csv")
        let replayed = try workspace.run(["replay", CLI.packageRoot.appendingPathComponent("Samples/examples/bulk-write.csv").path, "--module", "Contacts",
                                          "--operation", "upsert", "--find-by", "Phone", "--as-of", "2026-11-20T18:00:00+00:00", "--csv", written])
        try #require(replayed.status == 0, "\(replayed)")
        #expect(download.text == (try String(contentsOfFile: written, encoding: .utf8)))
        let noFindBy = try await Self.post(server, Self.multipart([("module", "Contacts"), ("operation", "upsert")], file: ("bulk-write.csv", csv)))
        #expect(noFindBy.status == 400 && noFindBy.text.contains("bulk-write.csv"), "\(noFindBy.text)")
    }

    /// Every value a page shows is HTML-escaped: stored values, the question asked, a pasted batch.
    @Test func valuesWithMarkupAndQuotesAreEscaped() async throws {
        let workspace = try Self.sampleOrg()
        let hostile = #"<script>alert("x")</script>'"#
        try workspace.load("Contacts.json", #"{"data":[{"id":"5725767000000999001","Last_Name":"\u003cscript\u003ealert(\"x\")\u003c/script\u003e'","Email":"evil\"'<b>@example.com"}]}"#)
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let record = try await server.send("GET", "/records/5725767000000999001", token: nil)
        #expect(record.status == 200 && !record.text.contains("<script>") && !record.text.contains("<b>"))
        #expect(record.text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;"))
        let query = hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let why = try await server.send("GET", "/why?value=\(query)", token: nil)
        #expect(why.status == 200 && !why.text.contains("<script>"))
        #expect(why.text.contains("value=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;\""), "the search box holds the escaped question")
        let batch = #"{"data":[{"Last_Name":"X","Email":"<script>alert('y')</script>@example.com"}]}"#
        let page = try await Self.post(server, Self.multipart([("payload", batch), ("module", "Contacts")], file: nil))
        #expect(page.status == 200 && !page.text.contains("<script>") && page.text.contains("&lt;script&gt;alert(&#39;y&#39;)"))
    }

    @Test func anUploadOverTheLimitIsRefusedAndReadsNothing() async throws {
        let workspace = try Self.sampleOrg()
        let before = try DatabaseDump(path: workspace.database)
        let server = try ServedReplica(workspace)
        let big = Data(repeating: UInt8(ascii: " "), count: 3 * 1024 * 1024)
        let answer = try await Self.post(server, Self.multipart([("module", "Contacts")], file: ("big.json", big)))
        #expect(answer.status == 413 && answer.text.contains("larger than 2 MiB"))
        let still = try await server.send("GET", "/", token: nil)
        #expect(still.status == 200, "the server goes on")
        server.stop()
        #expect(try DatabaseDump(path: workspace.database) == before)
    }

    /// Beyond loopback the pages need `--token`: once in the link, then as a same-site cookie.
    @Test func beyondLoopbackThePagesNeedTheToken() async throws {
        let workspace = try Self.sampleOrg()
        let server = try ServedReplica(workspace, ["--host", "0.0.0.0", "--token", "s3cret"])
        defer { server.stop() }
        #expect(server.command.stdoutSoFar.contains("/?token=<the --token>, once"))
        let refused = try await server.send("GET", "/why?value=wei.meyer%40example.net", token: nil)
        #expect(refused.status == 401 && !refused.text.contains("Wei.Meyer"))
        let wrong = try await server.send("GET", "/?token=guess", token: nil)
        #expect(wrong.status == 401)
        let first = try await server.send("GET", "/?token=s3cret", token: nil)
        #expect(first.status == 200)
        let cookie = first.headers.first { $0.key.lowercased() == "set-cookie" }?.value ?? ""
        #expect(cookie.contains("crm_replica_token=s3cret") && cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"))
        let later = try await server.send("GET", "/records/\(Self.pointedAt)", token: nil, headers: ["Cookie": "crm_replica_token=s3cret"])
        #expect(later.status == 200 && later.text.contains("Wei.Meyer@Example.Net"))

        let open = try ServedReplica(workspace, ["--host", "0.0.0.0"])
        defer { open.stop() }
        #expect(open.command.stdoutSoFar.contains("Web pages: off"))
        let off = try await open.send("GET", "/", token: nil)
        #expect(off.status == 403 && off.text.contains("--token"))
    }
}
