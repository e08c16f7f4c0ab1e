import Catalogue
import Engine
@testable import Formats
import Foundation
import TestSupport
import Testing

/// What the fuzzers of `scripts/fuzz.sh` found, kept as tests, and the properties they check,
/// run here on hand-picked inputs so that `swift test` guards them too (Fuzz/README.md).
@Suite("Fuzz findings and properties")
struct FuzzRegressionTests {
    static func read(_ bytes: [UInt8], chunkSize: Int, maxFieldBytes: Int) -> (records: [[String]], error: CSVError?) {
        let reader = CSVReader(bytes: bytes, name: "input", maxFieldBytes: maxFieldBytes, chunkSize: chunkSize)
        var records: [[String]] = []
        do {
            try reader.forEachRecord { view, _ in
                records.append(view.strings)
                return true
            }
            return (records, nil)
        } catch {
            return (records, error as? CSVError)
        }
    }

    /// fuzz-csv, first minutes: a quoted field longer than the field limit, followed by a syntax
    /// error. With small read chunks the size is caught while the buffer grows (line 2, "larger
    /// than"); with one big chunk the field ends first and the stray character is reported. The
    /// input is rejected either way, with a line; only the message depends on where the chunk
    /// boundaries fall (for the loader's 256 KiB chunks, only with fields over 256 KiB).
    @Test func aTooLargeQuotedFieldIsRejectedWhateverTheChunkSize() {
        let input = Array("Record Id,Notes\n5725767000000524157,\"\(String(repeating: "x", count: 40))\"y\n".utf8)
        for chunkSize in [1, 2, 3, 7, 64, 256 << 10] {
            let (records, error) = Self.read(input, chunkSize: chunkSize, maxFieldBytes: 16)
            #expect(records == [["Record Id", "Notes"]], "chunk \(chunkSize)")
            let message = error?.message ?? ""
            #expect(error?.line == 2, "chunk \(chunkSize): \(String(describing: error))")
            #expect(message.contains("is larger than 16 bytes") || message.contains("after closing quote"), "chunk \(chunkSize): \(message)")
        }
    }

    /// The fuzz-csv properties: any chunk size gives the same records; a record read back after
    /// writing it with every field quoted is the same record.
    @Test(arguments: [
        "a,b\r\nc,\"d\r\ne\"\r\n",
        "\u{FEFF}x,\"\"\"\",\n\n\r\n\"\",y",
        "only\rcr\rline,ends\r",
        "é,\"ü\u{0}\",\u{10FFFF}\n,,\n",
    ])
    func chunkSizeAndQuotingDoNotChangeRecords(_ text: String) {
        let bytes = Array(text.utf8)
        let expected = Self.read(bytes, chunkSize: 256 << 10, maxFieldBytes: 1 << 20)
        #expect(expected.error == nil)
        for chunkSize in 1...5 {
            let (records, error) = Self.read(bytes, chunkSize: chunkSize, maxFieldBytes: 1 << 20)
            #expect(error == nil && records == expected.records, "chunk \(chunkSize)")
        }
        let quoted = expected.records.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
            .joined(separator: "\n")
        #expect(Self.read(Array(quoted.utf8), chunkSize: 3, maxFieldBytes: 1 << 20).records == expected.records)
    }

    /// The fuzz-json properties: what parses writes back (compact and pretty) to the same value;
    /// a syntax error points inside the input; nesting stops at the depth limit, never the stack.
    @Test(arguments: [
        #"{"a":[1,-0.5e-3,5725767000000524157,"\u00e9\ud83d\ude00\t\"\\/"],"b":{"c":null,"d":true},"a":false}"#,
        #"[[],{},"",0,-0,1E+2]"#,
        "\u{FEFF} {\"x\" : \"\u{7F}\u{FFFF}\"} \r\n",
    ])
    func jsonRoundTrips(_ text: String) throws {
        let value = try JSON.parse(text)
        #expect(try JSON.parse(JSON.write(value)) == value)
        #expect(try JSON.parse(JSON.writePretty(value)) == value)
    }

    @Test func jsonDepthLimitIsExactAndErrorsPointInside() throws {
        let limit = 256
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSON.parse(deepest) }
        let tooDeep = "[" + deepest + "]"
        let error = try #require(throws: JSONSyntaxError.self) { try JSON.parse(tooDeep) }
        #expect(error.line == 1 && error.column == limit + 1, "\(error)")
        for broken in ["{\"a\":", "[1,]", "\n\n  {\"a\" 1}", "\"\u{1}\"", "[\"\\ud800\"]", "nul"] {
            let error = try #require(throws: JSONSyntaxError.self) { try JSON.parse(broken) }
            let lines = broken.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.line >= 1 && error.line <= lines && error.column >= 1, "\(broken): \(error)")
        }
    }

    /// `RecordsRequest.parse` on every shape of body: a request, or an error with a JSON path.
    @Test(arguments: ["null", "[]", "{}", #"{"data":{}}"#, #"{"data":[[]]}"#, #"{"data":[{}],"duplicate_check_fields":"Email"}"#,
                      #"{"data":[{}],"duplicate_check_fields":[null]}"#, #"{"data":[{"id":1}]}"#])
    func recordsRequestParseNamesAPathOrSucceeds(_ text: String) throws {
        let body = try JSON.parse(text)
        do {
            let request = try RecordsRequest.parse(body, module: .contacts, operation: .upsert)
            #expect(request.records.count == body["data"]?.arrayValue?.count)
        } catch let error as APIRequestError {
            guard case .malformedBody(let path, _) = error else { return }
            #expect(path.hasPrefix("$"), "\(error)")
        }
    }
}
