import Foundation
import TestSupport
import Testing

/// Zoho's Bulk Write result file as the real answers of a Bulk Write CSV, through the binary:
/// `replay --compare result.csv` and `calibrate --compare result.csv`.
@Suite("CLI: Bulk Write result files as real answers")
struct BulkWriteResultCLITests {
    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Contacts_fields.json", ZohoFiles.contactFieldsWithUniquePhone, module: "Contacts")
        try replica.load("Contacts.csv", """
            id,Last_Name,Email,Phone,Created_Time
            5725767000000100001,Ann,ann@example.com,+1 206 555 0100,2024-01-01T00:00:00+00:00
            5725767000000100002,Bea,bea@example.com,,2024-01-02T00:00:00+00:00

            """)
        return replica
    }

    /// Ann updated by Email; Cy's row carries Ann's unique Phone; Dee is new.
    static let rows = """
        Last_Name,Email,Phone
        Ann,ann@example.com,+1 206 555 0100
        Cy,bea@example.com,+1 206 555 0100
        Dee,dee@example.com,

        """

    static let zohoResult = """
        Last_Name,Email,Phone,STATUS,RECORD_ID,ERRORS
        Ann,ann@example.com,+1 206 555 0100,UPDATED,5725767000000100001,
        Cy,bea@example.com,+1 206 555 0100,SKIPPED,,DUPLICATE_DATA-Phone
        Dee,dee@example.com,,ADDED,5725767000000777001,

        """

    static func replay(_ replica: Workspace, _ input: String, compare: String) throws -> CommandResult {
        try replica.run(["replay", input, "--module", "Contacts", "--operation", "upsert", "--find-by", "Email", "--compare", compare])
    }

    @Test func aResultFileThatAgreesHasNoDifferences() throws {
        let replica = try Self.org()
        let input = try replica.write("rows.csv", Self.rows)
        let result = try replica.write("rows.result.csv", Self.zohoResult)
        let agreed = try Self.replay(replica, input, compare: result)
        #expect(agreed.status == 0, "\(agreed.stdout)\(agreed.stderr)")
        #expect(agreed.stdout.contains("Compared 1 request with the real answers: no differences."), "\(agreed.stdout)")
    }

    @Test func eachCellThatDiffersIsReported() throws {
        let replica = try Self.org()
        let input = try replica.write("rows.csv", Self.rows)
        let result = try replica.write("rows.result.csv", Self.zohoResult
            .replacingOccurrences(of: "UPDATED,5725767000000100001,", with: "UPDATED,5725767000000100002,")
            .replacingOccurrences(of: "ADDED,5725767000000777001,", with: "SKIPPED,,DUPLICATE_DATA-Email"))
        let differs = try Self.replay(replica, input, compare: result)
        #expect(differs.status == 1, "\(differs.stdout)\(differs.stderr)")
        #expect(differs.stdout.contains("item 0 ($.data[0]): record_id: predicted 5725767000000100001, real 5725767000000100002"), "\(differs.stdout)")
        #expect(differs.stdout.contains("item 2 ($.data[2]): code: predicted SUCCESS, real DUPLICATE_DATA"), "\(differs.stdout)")
    }

    @Test func aResultFileOfAnotherLengthOrShapeIsBadInput() throws {
        let replica = try Self.org()
        let input = try replica.write("rows.csv", Self.rows)
        let short = try replica.write("short.csv", "Last_Name,STATUS,RECORD_ID,ERRORS\nAnn,UPDATED,5725767000000100001,\n")
        let counted = try Self.replay(replica, input, compare: short)
        #expect(counted.status == 2)
        #expect(counted.stderr.contains("short.csv") && counted.stderr.contains("3 result rows"), "\(counted.stderr)")
        let wrong = try replica.write("wrong.csv", "Last_Name,STATUS,RECORD_ID\nAnn,DONE,1\nB,ADDED,2\nC,ADDED,3\n")
        let status = try Self.replay(replica, input, compare: wrong)
        #expect(status.status == 2)
        #expect(status.stderr.contains("wrong.csv:2") && status.stderr.contains("DONE"), "\(status.stderr)")
    }

    @Test func calibrateReadsTheResultFileToo() throws {
        let replica = try Self.org()
        let input = try replica.write("rows.csv", Self.rows)
        let result = try replica.write("rows.result.csv", Self.zohoResult)
        let run = try replica.run(["calibrate", input, "--module", "Contacts", "--operation", "upsert", "--find-by", "Email",
                                   "--compare", result, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["items"] as? Int == 3)
        #expect((report["best"] as? [String: Any])?["matched"] as? Int == 3)
    }
}
