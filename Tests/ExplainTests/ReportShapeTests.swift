import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Persistence
import Testing

/// The JSON contract of the command-line contract, `--show-sql`, the human story, and the questions refused.
struct ReportShapeTests {
    static let contractKeys = ["value", "module", "operation", "settings", "check_pattern", "verdict", "matches", "depends_on", "advice"]
    static let verdictKeys = ["code", "action", "duplicate_field", "record_id", "reason"]
    static let matchKeys = ["module", "location", "record_id", "field", "stored_value", "match", "counts"]

    @Test func jsonHasTheContractKeysInOrderThenTheExtras() throws {
        let org = try WhyOrg()
        try org.person("5725767000000100001", email: "ann@example.com")
        try org.binned("5725767000000500001", email: "Ann@example.com")
        let json = try org.ask("ann@example.com").json

        #expect(json.objectValue.map { Array($0.keys) } == Self.contractKeys + ["field", "field_checked", "notes"])
        #expect(json["value"] == .string("ann@example.com"))
        #expect(json["settings"]?["recycle_bin_counts"] == .bool(false))
        #expect(json["check_pattern"] == .array([.string("Email")]))
        #expect(json["verdict"]?.objectValue.map { Array($0.keys.prefix(5)) } == Self.verdictKeys)
        #expect(json["verdict"]?["action"] == .string("update"))
        #expect(json["verdict"]?["duplicate_field"] == .string("Email"))

        let live = try #require(json["matches"]?[0]?.objectValue)
        #expect(Array(live.keys.prefix(7)) == Self.matchKeys)
        #expect(live["why_not_counted"] == nil)
        #expect(live["deleted_time"] == nil)
        let bin = try #require(json["matches"]?[1]?.objectValue)
        #expect(Array(bin.keys.prefix(10)) == Self.matchKeys + ["why_not_counted", "deleted_time", "role"])
        #expect(bin["location"] == .string("recycle_bin"))
        #expect(bin["match"] == .string("case"))
        #expect(bin["deleted_by"] == .string("Admin"))

        let dependency = try #require(json["depends_on"]?[0]?.objectValue)
        #expect(Array(dependency.keys) == ["setting", "other_value", "verdict_then"])
        #expect(dependency["other_value"] == .bool(true))
        #expect(dependency["verdict_then"]?["code"] == .string("DUPLICATE_DATA"))
    }

    @Test func batchMatchCarriesItsRow() throws {
        let org = try WhyOrg()
        let rows: [JSONObject] = [["Last_Name": .string("A"), "Email": .string("a@example.com")],
                                  ["Last_Name": .string("A"), "Email": .string("a@example.com")]]
        let json = try org.ask("a@example.com", batch: rows, row: 1).json

        #expect(json["matches"]?[0]?["location"] == .string("batch"))
        #expect(json["matches"]?[0]?["row"] == .number("0"))
        #expect(json["batch"] == .object(["file": .string("batch.json"), "row": .number("1")]))
    }

    @Test func showSQLRecordsTheBoundNocaseLookups() throws {
        let org = try WhyOrg()
        let contact = try org.person("5725767000000100001", email: "ann@example.com")
        try org.member(of: "5725767000002000001", named: "Spring", contact: contact, status: "Sent")
        let report = try org.ask("Ann@example.com", showSQL: true)
        let sql = try #require(report.sql)

        let lookup = try #require(sql.first { $0.sql.contains("FROM contacts WHERE Email = ? COLLATE NOCASE") })
        #expect(lookup.arguments == [.text("Ann@example.com")])
        #expect(sql.contains { $0.sql.contains("recycle_bin") })
        // Only the evaluator's statements: the campaign lookup of the report is not among them.
        #expect(!sql.contains { $0.sql.contains("campaign_members") })
        #expect(try org.ask("Ann@example.com").sql == nil)
        #expect(org.db.queryLog == nil)

        let text = WhyTextRenderer(colour: false).render(report)
        #expect(text.contains("COLLATE NOCASE"))
        #expect(text.contains("bound: 'Ann@example.com'"))
    }

    @Test func humanStoryLeadsWithTheVerdictAndEscapesInvisibles() throws {
        let org = try WhyOrg()
        try org.person("5725767000000100001", email: "fay\u{200B}@example.com")
        let report = try org.ask("fay@example.com")
        let plain = WhyTextRenderer(colour: false).render(report)

        #expect(plain.hasPrefix("SUCCESS: A Contacts upsert of Email `fay@example.com` adds a new Contact."))
        #expect(plain.contains("fay\\u200B@example.com"))
        #expect(!plain.contains("\u{200B}"))
        #expect(plain.contains("with match=unicode: SUCCESS, updates Contact 5725767000000100001"))
        #expect(!plain.contains("\u{1B}["))
        #expect(WhyTextRenderer(colour: true).render(report).hasPrefix("\u{1B}[32mSUCCESS\u{1B}[0m"))
    }

    @Test func tableKeepsDecomposedValuesWhole() throws {
        let org = try WhyOrg()
        try org.person("5725767000000100001", email: "jose\u{0301}@example.com")
        let plain = WhyTextRenderer(colour: false).render(try org.ask("jos\u{00E9}@example.com"))
        // Padded by Characters: padding by UTF-16 units would cut the last letter of the value.
        #expect(plain.contains("jose\u{0301}@example.com  normalization"))
    }

    @Test func emptyValueIsRefused() throws {
        let org = try WhyOrg()
        #expect(throws: WhyError.emptyValue) { try org.ask("") }
    }

    @Test func unknownFieldIsRefusedBeforeAnySQL() throws {
        let org = try WhyOrg()
        let error = try #require(throws: WhyError.self) { try org.ask("x", field: #"Email"); DROP TABLE contacts; --"#) }
        guard case .unknownField(_, let module, let suggestions) = error else {
            Issue.record("expected unknownField, got \(error)")
            return
        }
        #expect(module == .contacts)
        #expect(suggestions == ["Email", "Secondary_Email"])
        #expect(try org.count("contacts") == 0)
    }

    @Test func labelsNameFieldsToo() throws {
        let org = try WhyOrg()
        #expect(try org.ask("a@example.com", field: "secondary email").field == "Secondary_Email")
    }

    @Test func updateIsNotAWhyQuestion() throws {
        let org = try WhyOrg()
        #expect(throws: WhyError.unsupportedOperation(.update)) { try org.ask("a@example.com", operation: .update) }
    }

    @Test func batchNeedsAWritableConnection() throws {
        let org = try WhyOrg()
        let reader = try Database(path: org.db.path, mode: .readOnly)
        let question = WhyQuestion(value: "a@example.com",
                                   batch: BatchRow(source: "b.json", records: [Record(fields: ["Email": .string("a@example.com")])],
                                                   duplicateCheckFields: nil, row: 0))
        #expect(throws: WhyError.readOnlyDatabase) { try Explainer(db: reader).explain(question) }
    }
}
