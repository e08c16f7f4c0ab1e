import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Testing

@Suite("Replay inputs: payload, request log, HAR")
struct ReaderTests {
    @Test func payloadTakesItsCallFromModuleAndOperation() throws {
        let org = try ReplayOrg()
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"Lee"}],"duplicate_check_fields":["Email"],"trigger":[]}"#)
        let input = try org.read([path], .payload(.contacts, .insert))
        let request = try #require(input.requests.first)
        #expect(input.requests.count == 1)
        #expect(request.request.method == "POST")
        #expect(request.request.path == "/crm/v8/Contacts")
        #expect(request.source.description == path)
        #expect(request.request.body?["trigger"] == .array([]))
        #expect(input.files == [InputFileInfo(path: path, format: .payload, module: .contacts)])
    }

    @Test func payloadTakesItsCallFromAnEndpoint() throws {
        let org = try ReplayOrg()
        let path = try org.file("batch.json", #"{"data":[{"id":"5725767000000100001","Last_Name":"Lee"}]}"#)
        var options = ReadOptions()
        options.endpoint = "PUT /crm/v2/Contacts"
        let request = try #require(try org.read([path], options).requests.first)
        #expect(Route.of(request.request) == .records(.contacts, .update, id: nil))

        options.endpoint = "POST /crm/v2/Accounts"
        #expect(throws: ReplayError.self) { try org.read([path], options) }
        #expect(throws: ReplayError.callRequired(path: path)) { try org.read([path]) }
    }

    @Test func requestLogKeepsQueryStringsLinesAndRealAnswers() throws {
        let org = try ReplayOrg()
        let path = try org.file("requests.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"A"}]},"status":201,"response":{"data":[{"code":"SUCCESS"}]}}

            {"method":"delete","path":"/crm/v2/Contacts?ids=5725767000000100001,5725767000000100002&wf_trigger=true"}\r
            {"method":"PUT","path":"/crm/v8/Campaigns/5725767000002000001/Contacts","body":"{\\"data\\":[{\\"id\\":\\"5725767000000100001\\"}]}","response":"{\\"data\\":[]}"}
            """)
        let requests = try org.read([path]).requests
        #expect(requests.map(\.source.line) == [1, 3, 4])
        #expect(requests[0].realStatus == 201)
        #expect(requests[0].realResponse?["data"]?[0]?["code"] == .string("SUCCESS"))
        #expect(requests[1].request.method == "DELETE")
        #expect(requests[1].request.path == "/crm/v2/Contacts")
        #expect(Route.of(requests[1].request) == .delete(.contacts, ids: ["5725767000000100001", "5725767000000100002"]))
        #expect(requests[2].request.body?["data"]?[0]?["id"] == .string("5725767000000100001"))
        #expect(requests[2].realResponse == .object(["data": .array([])]))
    }

    @Test func requestLogErrorsNameFileAndLine() throws {
        let org = try ReplayOrg()
        let syntax = try org.file("bad.ndjson", "{\"method\":\"POST\",\"path\":\"/crm/v2/Contacts\"}\n\n{\"method\":\"POST\",}\n")
        #expect(throws: ReplayError.malformedJSON(at: "\(syntax):3: column 18", problem: "trailing comma in object: expected a string key after ','")) {
            try org.read([syntax])
        }
        let missing = try org.file("missing.ndjson", "{\"path\":\"/crm/v2/Contacts\"}\n")
        let error = try #require(throws: ReplayError.self) { try org.read([missing]) }
        #expect(error.description.hasPrefix("\(missing):1: $.method: expected an HTTP method"))
    }

    @Test func harReplaysCRMEntriesOfAnyHostAndVersionAndCountsTheRest() throws {
        let org = try ReplayOrg()
        let answer = #"{"data":[{"code":"SUCCESS","duplicate_field":null,"action":"insert"}]}"#
        let encoded = Data(answer.utf8).base64EncodedString()
        let path = try org.file("capture.har", """
            {"log":{"version":"1.2","entries":[
              {"request":{"method":"GET","url":"https://accounts.zoho.eu/oauth/v2/token"},"response":{"status":200,"content":{"text":"{}"}}},
              {"request":{"method":"POST","url":"https://www.zohoapis.eu/crm/v2.1/Contacts/upsert","postData":{"mimeType":"application/json","text":"{\\"data\\":[{\\"Last_Name\\":\\"A\\"}]}"}},
               "response":{"status":201,"content":{"mimeType":"application/json","text":\(JSON.write(.string(answer)))}}},
              {"request":{"method":"DELETE","url":"https://crm.zoho.com/crm/v8/Contacts?ids=5725767000000100001"},
               "response":{"status":200,"content":{"text":"\(encoded)","encoding":"base64"}}}
            ]}}
            """)
        let input = try org.read([path])
        #expect(input.files.map(\.format) == [.har])
        #expect(input.ignored.count == 1)
        #expect(input.ignored.first?.source.description == "\(path): $.log.entries[0]")
        #expect(input.requests.count == 2)
        let upsert = input.requests[0]
        #expect(upsert.source.description == "\(path): $.log.entries[1]")
        #expect(upsert.request.path == "/crm/v2.1/Contacts/upsert")
        #expect(Route.of(upsert.request) == .records(.contacts, .upsert, id: nil))
        #expect(upsert.realStatus == 201)
        #expect(upsert.realResponse == (try JSON.parse(answer)))
        #expect(input.requests[1].realResponse == (try JSON.parse(answer)))
        #expect(input.carriesRealAnswers)
    }

    @Test func harErrorsNameTheEntry() throws {
        let org = try ReplayOrg()
        let body = try org.file("body.har", """
            {"log":{"entries":[{"request":{"method":"POST","url":"https://x/crm/v2/Contacts","postData":{"text":"{\\"data\\":["}},"response":{"status":0}}]}}
            """)
        let error = try #require(throws: ReplayError.self) { try org.read([body]) }
        #expect(error.description.hasPrefix("\(body): $.log.entries[0].request.postData.text: line 1, column 10: malformed JSON"))

        let encoding = try org.file("encoding.har", """
            {"log":{"entries":[{"request":{"method":"POST","url":"https://x/crm/v2/Contacts"},"response":{"status":200,"content":{"text":"x","encoding":"gzip"}}}]}}
            """)
        #expect(throws: ReplayError.unsupportedEncoding(at: "\(encoding): $.log.entries[0].response.content.encoding", encoding: "gzip")) {
            try org.read([encoding])
        }
    }

    @Test func formatComesFromShapeWhenTheExtensionSaysNothing() throws {
        let org = try ReplayOrg()
        let log = try org.file("log.json", "{\"method\":\"DELETE\",\"path\":\"/crm/v2/Contacts?ids=5725767000000100001\"}\n")
        let har = try org.file("capture.json", #"{"log":{"entries":[]}}"#)
        let payload = try org.file("payload.txt", #"{"data":[]}"#)
        let input = try org.read([log, har, payload], .payload(.contacts))
        #expect(input.files.map(\.format) == [.log, .har, .payload])

        var forced = ReadOptions.payload(.contacts)
        forced.format = .payload
        #expect(try org.read([payload], forced).requests.count == 1)
        let neither = try org.file("other.json", #"{"info":{}}"#)
        #expect(throws: ReplayError.self) { try org.read([neither]) }
    }
}

@Suite("Replay inputs: Bulk Write CSV")
struct BulkWriteReaderTests {
    static let csv = """
        Last_Name,Email,Phone,Favourite_Colour
        Lee,ann@example.com,,blue
        Ray,,555 0100,green
        Poe,poe@example.com,555 0101,

        """

    @Test func rowsBecomeRecordsWithFindByAsTheCheckField() throws {
        let org = try ReplayOrg()
        try org.makeUnique("Email")
        let path = try org.file("contacts.csv", Self.csv)
        let requests = try org.read([path], .bulk(.upsert, findBy: "Email")).requests
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.request.path == "/crm/v8/Contacts/upsert")
        #expect(request.request.body?["duplicate_check_fields"] == .array([.string("Email")]))
        let chunk = try #require(request.bulkWrite)
        #expect(chunk.findBy == "Email")
        #expect(chunk.rows.map(\.line) == [2, 3, 4])
        #expect(chunk.rows[0].values == ["Lee", "ann@example.com", "", "blue"])
        // Empty cells clear the field unless ignore_empty; the unknown column never reaches a record.
        #expect(chunk.records[0].fields == ["Last_Name": .string("Lee"), "Email": .string("ann@example.com"), "Phone": .null])
        #expect(request.notes.count == 1)
        #expect(request.notes.first?.contains("`Favourite_Colour` is not a field of Contacts") == true)
    }

    @Test func ignoreEmptyLeavesEmptyCellsOut() throws {
        let org = try ReplayOrg()
        try org.makeUnique("Email")
        let path = try org.file("contacts.csv", Self.csv)
        let chunk = try #require(try org.read([path], .bulk(.update, findBy: "Email", ignoreEmpty: true)).requests.first?.bulkWrite)
        #expect(chunk.records[0].fields == ["Last_Name": .string("Lee"), "Email": .string("ann@example.com")])
        #expect(chunk.records[1].fields == ["Last_Name": .string("Ray"), "Phone": .string("555 0100")])
    }

    @Test func rowsAreCutIntoBatchesOfTheLimit() throws {
        let org = try ReplayOrg()
        let path = try org.file("contacts.csv", Self.csv)
        let requests = try org.read([path], .bulk(.insert, findBy: nil, batchLimit: 2)).requests
        #expect(requests.map { $0.bulkWrite?.records.count } == [2, 1])
        #expect(requests.map(\.source.line) == [2, 4])
        #expect(requests.map(\.notes.count) == [1, 0])
    }

    @Test func findByMustBeIdOrAUniqueField() throws {
        let org = try ReplayOrg()
        try org.makeUnique("Email")
        let path = try org.file("contacts.csv", Self.csv)
        let error = try #require(throws: ReplayError.self) { try org.read([path], .bulk(.upsert, findBy: "Phone")) }
        #expect(error == .invalidFindBy(field: "Phone", module: .contacts, valid: ["id", "Email"]))
        #expect(error.description.contains("--find-by `Phone`"))
        #expect(throws: ReplayError.findByRequired(path: path, operation: .update)) { try org.read([path], .bulk(.update, findBy: nil)) }
        #expect(throws: ReplayError.findByColumnMissing(path: path, field: "id")) { try org.read([path], .bulk(.update, findBy: "id")) }
    }

    @Test func malformedCSVNamesTheLine() throws {
        let org = try ReplayOrg()
        let ragged = try org.file("ragged.csv", "Last_Name,Email\nLee,a@example.com\nRay\n")
        #expect(throws: ReplayError.raggedRow(path: ragged, line: 3, expected: 2, found: 1)) {
            try org.read([ragged], .bulk(.insert, findBy: nil))
        }
        let quote = try org.file("quote.csv", "Last_Name,Email\n\"Lee,a@example.com\n")
        let error = try #require(throws: ReplayError.self) { try org.read([quote], .bulk(.insert, findBy: nil)) }
        #expect(error.description.hasPrefix("\(quote):2: malformed CSV"))
    }
}
