import Foundation
import TestSupport
import Testing

/// Values checked against their field's type, through the built binary: the INVALID_DATA
/// answers people published, replayed from a request log beside those real answers, and the
/// values each type accepts and refuses.
@Suite("CLI: values checked by field type")
struct FieldValueTypesCLITests {
    /// Leads metadata with the fields of the published answers (`Phone`, `No_of_Employees`, the
    /// custom integer and datetime) and one custom field of every other checked type.
    static let leadFields = """
        {"fields":[
        {"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{},"length":80},
        {"api_name":"Email","field_label":"Email","data_type":"email","unique":{},"length":100},
        {"api_name":"Phone","field_label":"Phone","data_type":"phone","unique":{},"length":30},
        {"api_name":"No_of_Employees","field_label":"No. of Employees","data_type":"integer","unique":{},"length":9},
        {"api_name":"How_many_people_in_your_group","field_label":"How many people in your group","data_type":"integer","custom_field":true,"unique":{},"length":9},
        {"api_name":"Webinar_Time","field_label":"Webinar Time","data_type":"datetime","custom_field":true,"unique":{},"length":120},
        {"api_name":"Visitor_Score","field_label":"Visitor Score","data_type":"bigint","custom_field":true,"unique":{},"length":18},
        {"api_name":"Annual_Revenue","field_label":"Annual Revenue","data_type":"currency","unique":{},"length":16},
        {"api_name":"Discount","field_label":"Discount","data_type":"percent","custom_field":true,"unique":{},"length":5},
        {"api_name":"Rate","field_label":"Rate","data_type":"double","custom_field":true,"unique":{},"length":16},
        {"api_name":"Webinar_Date","field_label":"Webinar Date","data_type":"date","custom_field":true,"unique":{},"length":20},
        {"api_name":"Email_Opt_Out","field_label":"Email Opt Out","data_type":"boolean","unique":{},"length":5},
        {"api_name":"Nickname","field_label":"Nickname","data_type":"text","custom_field":true,"unique":{},"length":10},
        {"api_name":"Notes","field_label":"Notes","data_type":"textarea","custom_field":true,"unique":{},"length":20},
        {"api_name":"Website","field_label":"Website","data_type":"website","unique":{},"length":255},
        {"api_name":"Referrer","field_label":"Referrer","data_type":"lookup","custom_field":true,"unique":{},"length":120}
        ]}
        """

    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Leads_fields.json", leadFields)
        return replica
    }

    static func object(_ line: some StringProtocol) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The items of every envelope `replay --json` printed, in order.
    static func items(_ run: CommandResult) throws -> [[String: Any]] {
        try run.lines.flatMap { line in try object(line)["data"] as? [[String: Any]] ?? [] }
    }

    // MARK: The published answers

    /// The real requests and answers: `() Not provided.` in Phone; an accepted `+44` phone
    /// beside `1-2 People` in a custom integer; JavaScript's `toISOString()` in a custom
    /// datetime (v8, with `json_path`); and a mixed upsert whose one bad `No_of_Employees`
    /// fails alone.
    static let realLog = """
        {"method":"POST","path":"/crm/v2/Leads","body":{"data":[{"Last_Name":"Doe","Phone":"() Not provided."}]},"status":400,"response":{"data":[{"code":"INVALID_DATA","details":{"expected_data_type":"phone","api_name":"Phone"},"message":"invalid data","status":"error"}]}}
        {"method":"POST","path":"/crm/v2/Leads","body":{"data":[{"Last_Name":"Doe","Phone":"+44 7779 330558","How_many_people_in_your_group":"1-2 People"}]},"status":400,"response":{"data":[{"code":"INVALID_DATA","details":{"expected_data_type":"integer","maximum_length":9,"api_name":"How_many_people_in_your_group"},"message":"invalid data","status":"error"}]}}
        {"method":"POST","path":"/crm/v8/Leads","body":{"data":[{"Last_Name":"Roe","Webinar_Time":"2026-08-11T10:15:30.761Z"}]},"status":400,"response":{"data":[{"code":"INVALID_DATA","details":{"expected_data_type":"datetime","api_name":"Webinar_Time","json_path":"$.data[0].Webinar_Time"},"message":"invalid data","status":"error"}]}}
        {"method":"POST","path":"/crm/v8/Leads/upsert","body":{"data":[{"Last_Name":"Poe","Email":"poe@example.com","No_of_Employees":"12"},{"Last_Name":"Moe","Email":"moe@example.com","No_of_Employees":"about fifty"},{"Last_Name":"Loe","Email":"loe@example.com","No_of_Employees":250}]},"status":207,"response":{"data":[{"code":"SUCCESS","duplicate_field":null,"action":"insert","details":{"id":"5725767000000900001"},"message":"record added","status":"success"},{"code":"INVALID_DATA","details":{"expected_data_type":"integer","maximum_length":9,"api_name":"No_of_Employees","json_path":"$.data[1].No_of_Employees"},"message":"invalid data","status":"error"},{"code":"SUCCESS","duplicate_field":null,"action":"insert","details":{"id":"5725767000000900002"},"message":"record added","status":"success"}]}}

        """

    @Test func realAnswersReplayWithNoDifference() throws {
        let replica = try Self.org()
        let log = try replica.write("invalid-values.ndjson", Self.realLog)
        let run = try replica.run(["replay", log, "--compare", "--as-of", "2026-11-20"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Compared 4 requests with the real answers: no differences."), "\(run.stdout)")
        #expect(run.stdout.contains("INVALID_DATA 4"), "\(run.stdout)")
    }

    /// The answers reproduced exactly, `details` key by key, in v8's shape (with `json_path`).
    @Test func realAnswersHaveZohosDetails() throws {
        let replica = try Self.org()
        let log = try replica.write("invalid-values.ndjson", Self.realLog)
        let items = try Self.items(try replica.run(["replay", log, "--json", "--as-of", "2026-11-20"]))
        try #require(items.count == 6)
        let details = items.map { $0["details"] as? [String: Any] ?? [:] }
        #expect(details[0] as NSDictionary == ["expected_data_type": "phone", "api_name": "Phone", "json_path": "$.data[0].Phone"])
        #expect(details[1] as NSDictionary == ["expected_data_type": "integer", "maximum_length": 9, "api_name": "How_many_people_in_your_group",
                                               "json_path": "$.data[0].How_many_people_in_your_group"])
        #expect(details[2] as NSDictionary == ["expected_data_type": "datetime", "api_name": "Webinar_Time", "json_path": "$.data[0].Webinar_Time"])
        #expect(items.map { $0["code"] as? String } == ["INVALID_DATA", "INVALID_DATA", "INVALID_DATA", "SUCCESS", "INVALID_DATA", "SUCCESS"])
        #expect(details[4] as NSDictionary == ["expected_data_type": "integer", "maximum_length": 9, "api_name": "No_of_Employees",
                                               "json_path": "$.data[1].No_of_Employees"])
        #expect(items[1]["message"] as? String == "invalid data")
    }

    /// A replica that predicts SUCCESS where Zoho said INVALID_DATA is caught by the comparison,
    /// which reads `expected_data_type` and `maximum_length` too.
    @Test func comparisonReadsExpectedTypeAndMaximumLength() throws {
        let replica = try Self.org()
        let wrong = Self.realLog.replacingOccurrences(of: #""maximum_length":9,"api_name":"How_many"#, with: #""maximum_length":10,"api_name":"How_many"#)
            .replacingOccurrences(of: #""expected_data_type":"phone""#, with: #""expected_data_type":"text""#)
        let run = try replica.run(["replay", try replica.write("wrong.ndjson", wrong), "--as-of", "2026-11-20"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("details.expected_data_type: predicted phone, real text"), "\(run.stdout)")
        #expect(run.stdout.contains("details.maximum_length: predicted 9, real 10"), "\(run.stdout)")
    }

    // MARK: Every type: accepted and refused values

    struct Case: CustomStringConvertible, Sendable {
        let field: String
        let type: String
        /// JSON literals.
        let accepted: [String]
        let refused: [String]
        var description: String { type }
    }

    static let cases: [Case] = [
        Case(field: "Email", type: "email", accepted: [#""ann@example.com""#, #""""#, "null"],
             refused: [#""ann@""#, #""ann example.com""#, "42", "true", #"{"a":1}"#]),
        Case(field: "Phone", type: "phone",
             accepted: [#""+44 7779 330558""#, #""(415) 555-0100""#, #""+1.415.555.0100""#, "4155550100"],
             refused: [#""() Not provided.""#, #""+1 415 555 0100 ext 12""#, #""() 555 0100""#, #""415 + 555""#, #""n/a""#, "true",
                       #"["4155550100"]"#]),
        Case(field: "How_many_people_in_your_group", type: "integer", accepted: [#""12""#, "250", #""-3""#, #""999999999""#],
             refused: [#""1-2 People""#, #""1234567890""#, "2.5", #""12.0""#, "false", #"{"n":1}"#]),
        Case(field: "Visitor_Score", type: "bigint", accepted: [#""123456789012345678""#, "-5"],
             refused: [#""1234567890123456789""#, #""12a""#, "1.5"]),
        Case(field: "Annual_Revenue", type: "currency", accepted: ["1234.50", #""1234.50""#, #""-7""#, "1e3"],
             refused: [#""$1,234""#, #""1.2.3""#, "true"]),
        Case(field: "Discount", type: "percent", accepted: ["12.5", #""15""#], refused: [#""15%""#]),
        Case(field: "Rate", type: "double", accepted: ["0.25", #"".5""#], refused: [#""one""#]),
        Case(field: "Webinar_Date", type: "date", accepted: [#""2026-08-11""#, #""2024-02-29""#],
             refused: [#""2026-8-11""#, #""11/08/2026""#, #""2025-02-29""#, #""2026-13-01""#, #""2026-08-11T10:15:30+00:00""#, "20260811"]),
        Case(field: "Webinar_Time", type: "datetime", accepted: [#""2026-08-11T10:15:30+00:00""#, #""2026-08-11T10:15:30-05:30""#],
             refused: [#""2026-08-11T10:15:30.761Z""#, #""2026-08-11T10:15:30Z""#, #""2026-08-11 10:15:30""#, #""2026-08-11""#,
                       #""2026-08-11T25:15:30+00:00""#]),
        Case(field: "Email_Opt_Out", type: "boolean", accepted: ["true", "false"], refused: [#""true""#, #""yes""#, "1"]),
        Case(field: "Nickname", type: "text", accepted: [#""Annie""#, #""0123456789""#, "12"],
             refused: [#"{"name":"Annie"}"#, #"["Annie"]"#, "true"]),
        Case(field: "Website", type: "website",
             accepted: [#""www.example.com""#, #""https://example.com/page?x=1""#, #""HTTP://example.org:8080/""#],
             refused: [#""not a site""#, #""example""#, #""https://example..com""#, "12"]),
        Case(field: "Referrer", type: "lookup", accepted: [#"{"id":"5725767000000100001"}"#, #""5725767000000100001""#, "5725767000000100001"],
             refused: [#"{"name":"Ann"}"#, #"{"id":"abc"}"#, #""Ann Lee""#, "true"]),
    ]

    /// One insert per value: the accepted ones are added, each refused one is INVALID_DATA naming
    /// the field and its type.
    @Test(arguments: cases)
    func typeAcceptsAndRefuses(_ check: Case) throws {
        let replica = try Self.org()
        let values = check.accepted + check.refused
        let records = values.map { #"{"Last_Name":"Doe","\#(check.field)":\#($0)}"# }
        let payload = try replica.write("batch.json", #"{"data":[\#(records.joined(separator: ","))]}"#)
        let run = try replica.run(["replay", payload, "--endpoint", "POST /crm/v8/Leads", "--json"])
        let items = try Self.items(run)
        try #require(items.count == values.count, "\(run)")
        for (index, value) in values.enumerated() {
            let item = items[index]
            let details = item["details"] as? [String: Any] ?? [:]
            if index < check.accepted.count {
                #expect(item["code"] as? String == "SUCCESS", "\(check.type) \(value) should be accepted: \(item)")
            } else {
                #expect(item["code"] as? String == "INVALID_DATA", "\(check.type) \(value) should be refused: \(item)")
                #expect(details["api_name"] as? String == check.field && details["expected_data_type"] as? String == check.type,
                        "\(value): \(item)")
                #expect(details["json_path"] as? String == "$.data[\(index)].\(check.field)")
                #expect((details["maximum_length"] as? Int) == (check.type == "integer" ? 9 : nil), "\(value): \(item)")
            }
        }
    }

    /// Text longer than the field's `length` from `settings/fields`: `maximum_length` is that length.
    @Test func textLongerThanItsFieldGivesMaximumLength() throws {
        let replica = try Self.org()
        let payload = try replica.write("batch.json", """
            {"data":[{"Last_Name":"Doe","Nickname":"Annabel Lee"},{"Last_Name":"Doe","Notes":"exactly twenty chars"},
                     {"Last_Name":"Doe","Notes":"twenty-one characters"}]}
            """)
        let run = try replica.run(["replay", payload, "--endpoint", "POST /crm/v8/Leads", "--json"])
        let items = try Self.items(run)
        try #require(items.count == 3, "\(run)")
        #expect(items.map { $0["code"] as? String } == ["INVALID_DATA", "SUCCESS", "INVALID_DATA"])
        #expect(items[0]["details"] as? NSDictionary == ["expected_data_type": "text", "maximum_length": 10, "api_name": "Nickname",
                                                         "json_path": "$.data[0].Nickname"])
        #expect((items[2]["details"] as? [String: Any])?["maximum_length"] as? Int == 20)
        let text = try replica.run(["replay", payload, "--endpoint", "POST /crm/v8/Leads"])
        #expect(text.stdout.contains("Nickname is 11 characters long, and Zoho takes at most 10 in this text field."), "\(text.stdout)")
    }

    // MARK: Order, unknown fields, settings

    /// Of two bad values, the one the record sends first answers; unknown fields stay ignored;
    /// and the value check comes before the duplicate check.
    @Test func firstBadFieldAsSentAnswersAndUnknownFieldsAreIgnored() throws {
        let replica = try Self.org()
        try replica.load("Leads.csv", """
            id,Last_Name,Email,Created_Time
            5725767000000100001,Lee,ann@example.com,2024-01-01T00:00:00+00:00
            5725767000000100002,Lee,Ann@Example.com,2025-01-01T00:00:00+00:00

            """)
        let payload = try replica.write("batch.json", """
            {"data":[{"Last_Name":"Doe","Email_Opt_Out":"no","Phone":"none"},{"Last_Name":"Doe","Phone":"none","Email_Opt_Out":"no"},
                     {"Last_Name":"Doe","Favourite_Colour":{"r":1},"Phone":"+1 415 555 0100"},
                     {"Last_Name":"Doe","Email":"ann@example.com","Phone":"() Not provided."}]}
            """)
        let items = try Self.items(try replica.run(["replay", payload, "--module", "Leads", "--json"]))
        try #require(items.count == 4)
        #expect((items[0]["details"] as? [String: Any])?["api_name"] as? String == "Email_Opt_Out")
        #expect((items[1]["details"] as? [String: Any])?["api_name"] as? String == "Phone")
        #expect(items[2]["code"] as? String == "SUCCESS", "an unknown field is ignored, not invalid: \(items[2])")
        #expect(items[3]["code"] as? String == "INVALID_DATA", "the Email is held twice, but the Phone is checked first: \(items[3])")
    }

    /// `phone_letters`: letters such as `ext` are refused by default and taken with `allow`;
    /// `depends_on` names the setting, and an empty bracket is refused under both values.
    @Test func phoneLettersIsASetting() throws {
        let replica = try Self.org()
        let payload = try replica.write("batch.json", """
            {"data":[{"Last_Name":"Doe","Phone":"+1 415 555 0100 ext 12"},{"Last_Name":"Doe","Phone":"() Not provided."}]}
            """)
        for (setting, first) in [("reject", "INVALID_DATA"), ("allow", "SUCCESS")] {
            let run = try replica.run(["replay", payload, "--endpoint", "POST /crm/v8/Leads", "--json", "--set", "phone_letters=\(setting)"])
            let items = try Self.items(run)
            #expect(items.map { $0["code"] as? String } == [first, "INVALID_DATA"], "phone_letters=\(setting): \(run)")
        }
        let why = try replica.run(["why", "+1 415 555 0100 ext 12", "--field", "Phone", "--module", "Leads", "--json"])
        let json = try #require(why.json, "\(why)")
        let settings = (json["depends_on"] as? [[String: Any]] ?? []).compactMap { $0["setting"] as? String }
        #expect(settings == ["phone_letters"], "\(why.stdout)")
    }

    /// `why` on a bad value answers in one sentence that says what Zoho expects.
    @Test func whyExplainsTheBadValue() throws {
        let replica = try Self.org()
        let run = try replica.run(["why", "() Not provided.", "--field", "Phone", "--module", "Leads"])
        #expect(run.stdout.hasPrefix("INVALID_DATA"), "\(run)")
        #expect(run.stdout.contains("Phone `() Not provided.` is not a phone number: Zoho expects digits, spaces, `+ - ( ) .`."), "\(run.stdout)")
        #expect(run.stdout.contains("Fix the value: Zoho rejects Phone `() Not provided.` as a phone number"), "the advice names the type: \(run.stdout)")
    }

    /// A Bulk Write CSV holds only text: a boolean column's `true`/`FALSE` is the boolean, other
    /// text in it is refused, and a bad phone is refused as in a JSON call.
    @Test func bulkWriteCSVValuesAreCheckedByType() throws {
        let replica = try Self.org()
        let input = try replica.write("leads.csv", """
            Last_Name,Email,Email_Opt_Out,Phone
            Lee,lee@example.com,true,+1 415 555 0100
            Kim,kim@example.com,FALSE,
            Roe,roe@example.com,maybe,
            Poe,poe@example.com,,() Not provided.

            """)
        let result = replica.path("leads.result.csv")
        let run = try replica.run(["replay", input, "--module", "Leads", "--operation", "insert", "--csv", result])
        #expect(run.status == 0, "\(run)")
        let rows = try String(contentsOfFile: result, encoding: .utf8).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.dropFirst().map { String($0[4]) } == ["ADDED", "ADDED", "SKIPPED", "SKIPPED"], "\(rows)")
        #expect(rows.dropFirst(3).map { String($0.last ?? "") } == ["INVALID_DATA-Email_Opt_Out", "INVALID_DATA-Phone"], "\(rows)")
    }

    // MARK: The length in the catalogue

    /// Loading the same metadata again changes nothing; a changed length is an update; a length
    /// that is not a whole number fails the file by its JSON path (exit 2), and nothing is written.
    @Test func lengthIsKeptFromMetadata() throws {
        let replica = try Self.org()
        let again = try replica.run(["load", try replica.write("Leads_fields.json", Self.leadFields), "--json"])
        let file = try #require((again.json?["files"] as? [[String: Any]])?.first, "\(again)")
        #expect(file["updated"] as? Int == 0 && file["unchanged"] as? Int == 16, "\(again.stdout)")

        let longer = Self.leadFields.replacingOccurrences(of: #""Nickname","data_type":"text","custom_field":true,"unique":{},"length":10"#,
                                                          with: #""Nickname","data_type":"text","custom_field":true,"unique":{},"length":40"#)
        let changed = try replica.run(["load", try replica.write("Leads_fields.json", longer), "--json"])
        #expect((changed.json?["files"] as? [[String: Any]])?.first?["updated"] as? Int == 1, "\(changed.stdout)")
        let payload = try replica.write("batch.json", #"{"data":[{"Last_Name":"Doe","Nickname":"Annabel Lee"}]}"#)
        let items = try Self.items(try replica.run(["replay", payload, "--endpoint", "POST /crm/v8/Leads", "--json"]))
        #expect(items.first?["code"] as? String == "SUCCESS", "the stored length is 40 now: \(items)")

        let before = try DatabaseDump(path: replica.database)
        let bad = longer.replacingOccurrences(of: #""length":40"#, with: #""length":"forty""#)
        let refused = try replica.run(["load", try replica.write("Leads_fields.json", bad)])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("Leads_fields.json") && refused.stderr.contains("$.fields[12].length"), "\(refused.stderr)")
        #expect(try DatabaseDump(path: replica.database) == before)
    }
}
