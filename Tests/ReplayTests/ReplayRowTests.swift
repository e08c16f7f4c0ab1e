import Catalogue
import Engine
import Foundation
import Replay
import Testing

/// `ReplayRow.locate`: the row `why --batch` explains, found among the requests replay reads.
@Suite("Replay: locating a row for why --batch")
struct ReplayRowTests {
    static let log = """
        {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"A"},{"Last_Name":"B"}]}}
        {"method":"DELETE","path":"/crm/v8/Contacts?ids=5725767000000100001"}
        {"method":"POST","path":"/crm/v8/Leads/upsert","body":{"data":[{"Last_Name":"C"},{"Last_Name":"D"}],"duplicate_check_fields":["Email"]}}

        """

    @Test func rowsCountAcrossTheRequestsThatCarryRecords() throws {
        let org = try ReplayOrg()
        let path = try org.file("log.ndjson", Self.log)
        let input = try org.read([path])
        let row = try ReplayRow.locate(in: input, path: path, request: nil, row: 3)
        #expect(row.requestIndex == 2 && row.row == 1 && row.call.module == .leads && row.call.operation == .upsert)
        #expect(row.call.duplicateCheckFields == ["Email"] && row.call.records[row.row]["Last_Name"] == .string("D"))
        let same = try ReplayRow.locate(in: input, path: path, request: 2, row: 1)
        #expect(same.requestIndex == row.requestIndex && same.row == row.row)
        #expect { try ReplayRow.locate(in: input, path: path, request: 1, row: 0) } throws: {
            "\($0)".contains("request 1 (\(path):2) is DELETE /crm/v8/Contacts, which carries no records")
        }
        #expect(throws: ReplayError.rowOutsideInput(path: path, row: 4, records: 4, requests: 3)) {
            try ReplayRow.locate(in: input, path: path, request: nil, row: 4)
        }
    }
}
