import Foundation
import Testing
@testable import Formats

/// One parsed record: its fields as raw bytes, and the line it starts on.
private struct Row: Equatable, CustomStringConvertible {
    var fields: [[UInt8]]
    var line: Int
    var strings: [String] { fields.map { String(decoding: $0, as: UTF8.self) } }
    var description: String { "\(line): \(strings)" }
}

/// Writes `bytes` to a fresh temp file, runs `body` with its path, and removes the file.
private func withTempFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("csvreader-\(UUID().uuidString).csv")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

private func withTempFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
    try withTempFile(Array(text.utf8), body)
}

/// Reads every record of the file at `path`.
private func readRows(_ path: String, chunkSize: Int? = nil, maxFieldBytes: Int = 64 << 20) throws -> [Row] {
    let reader = try chunkSize.map { try CSVReader(path: path, maxFieldBytes: maxFieldBytes, chunkSize: $0) }
        ?? CSVReader(path: path, maxFieldBytes: maxFieldBytes)
    var rows: [Row] = []
    try reader.forEachRecord { view, line in
        rows.append(Row(fields: (0..<view.count).map { Array(view[$0]) }, line: line))
        return true
    }
    return rows
}

/// Parses `text` from a real temp file and returns the field strings of each record.
private func parse(_ text: String, chunkSize: Int? = nil) throws -> [[String]] {
    try withTempFile(text) { try readRows($0, chunkSize: chunkSize).map(\.strings) }
}

/// The CSVError thrown while reading the file holding `bytes`.
private func parseError(_ bytes: [UInt8], chunkSize: Int? = nil, maxFieldBytes: Int = 64 << 20) throws -> CSVError? {
    try withTempFile(bytes) { path -> CSVError? in
        do {
            _ = try readRows(path, chunkSize: chunkSize, maxFieldBytes: maxFieldBytes)
            return nil
        } catch let error as CSVError {
            #expect(error.path == path)
            return error
        }
    }
}

private func parseError(_ text: String, chunkSize: Int? = nil, maxFieldBytes: Int = 64 << 20) throws -> CSVError? {
    try parseError(Array(text.utf8), chunkSize: chunkSize, maxFieldBytes: maxFieldBytes)
}

@Suite("CSVReader")
struct CSVReaderTests {

    // MARK: RFC 4180 basics

    @Test func quotedCommas() throws {
        let rows = try parse("id,name\n1,\"Smith, John\"\n2,\",,\"\n")
        #expect(rows == [["id", "name"], ["1", "Smith, John"], ["2", ",,"]])
    }

    @Test func doubledQuotes() throws {
        let rows = try parse("\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\",x\n")
        #expect(rows == [["say \"hi\"", "\"", "\"\"", "x"]])
    }

    @Test func newlinesInsideQuotesKeptVerbatim() throws {
        let rows = try withTempFile("a,\"line1\nline2\",b\r\nc,\"x\r\ny\",\"cr\ronly\"\r\n") { try readRows($0) }
        #expect(rows.count == 2)
        #expect(rows[0].fields[1] == Array("line1\nline2".utf8))
        #expect(rows[1].fields[1] == [0x78, 0x0D, 0x0A, 0x79])   // x CR LF y, untouched
        #expect(rows[1].fields[2] == Array("cr\ronly".utf8))
        #expect(rows.map(\.strings) == [["a", "line1\nline2", "b"], ["c", "x\r\ny", "cr\ronly"]])
    }

    @Test func lineEndings() throws {
        let expected = [["a", "b"], ["c", "d"], ["e", "f"]]
        #expect(try parse("a,b\nc,d\ne,f\n") == expected)
        #expect(try parse("a,b\r\nc,d\r\ne,f\r\n") == expected)
        #expect(try parse("a,b\rc,d\re,f\r") == expected)          // lone CR
        #expect(try parse("a,b\r\nc,d\ne,f\r") == expected)        // mixed
        #expect(try parse("\"a\",\"b\"\r\n\"c\",\"d\"\n\"e\",\"f\"") == expected)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let rows = try withTempFile([0xEF, 0xBB, 0xBF] + Array("Id,Name\n1,x\n".utf8)) { try readRows($0) }
        #expect(rows.map(\.strings) == [["Id", "Name"], ["1", "x"]])
        #expect(rows[0].fields[0] == Array("Id".utf8))
        // A BOM followed by a quoted field, and a BOM-only file.
        let quoted = try withTempFile([0xEF, 0xBB, 0xBF] + Array("\"Id\"\n".utf8)) { try readRows($0) }
        #expect(quoted.map(\.strings) == [["Id"]])
        let bomOnly = try withTempFile([0xEF, 0xBB, 0xBF]) { try readRows($0) }
        #expect(bomOnly.isEmpty)
        // Only at the start: a BOM later in the file is data.
        let later = try withTempFile(Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("b\n".utf8)) { try readRows($0) }
        #expect(later.map(\.fields) == [[Array("a".utf8)], [[0xEF, 0xBB, 0xBF, 0x62]]])
    }

    @Test func spacesAreKept() throws {
        let rows = try parse(" a , b ,  ,\" q \"\n")
        #expect(rows == [[" a ", " b ", "  ", " q "]])
    }

    @Test func noTrailingNewline() throws {
        #expect(try parse("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\n\"c\",\"d\"") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\nc,") == [["a", "b"], ["c", ""]])
        #expect(try parse("x") == [["x"]])
    }

    @Test func emptyFields() throws {
        let rows = try parse(",\n,,\na,,b\n\"\",\"\"\na,\n")
        #expect(rows == [["", ""], ["", "", ""], ["a", "", "b"], ["", ""], ["a", ""]])
    }

    @Test func blankLinesAreNotRecords() throws {
        let rows = try withTempFile("a\n\nb\r\n\r\n\n") { try readRows($0) }
        #expect(rows.map(\.strings) == [["a"], ["b"]])
        #expect(rows.map(\.line) == [1, 3])
        #expect(try parse("") == [])
        #expect(try parse("\n\n") == [])
    }

    @Test func raggedRowsArePassedThrough() throws {
        #expect(try parse("a,b,c\nd\ne,f\n") == [["a", "b", "c"], ["d"], ["e", "f"]])
    }

    @Test func trailingNoBreakSpaceKeptByteExact() throws {
        let bytes = Array("Acme".utf8) + [0xC2, 0xA0] + Array(",\"Acme".utf8) + [0xC2, 0xA0] + Array("\"\n".utf8)
        let rows = try withTempFile(bytes) { try readRows($0) }
        #expect(rows.count == 1)
        #expect(rows[0].fields[0] == [0x41, 0x63, 0x6D, 0x65, 0xC2, 0xA0])
        #expect(rows[0].fields[1] == [0x41, 0x63, 0x6D, 0x65, 0xC2, 0xA0])
        #expect(rows[0].strings[0] == "Acme\u{00A0}")
        #expect(rows[0].strings[0] != "Acme")
    }

    @Test func multiByteUTF8IsAccepted() throws {
        let rows = try parse("Zoë,\"日本,語\",😀\n")
        #expect(rows == [["Zoë", "日本,語", "😀"]])
    }

    // MARK: Chunking

    /// Awkward input: a BOM, every kind of line break, escapes and multi-byte characters,
    /// so that chunk edges fall everywhere, including inside `""`, CRLF and UTF-8 sequences.
    private static let tricky: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
        "Id,Name,Note\r\n" +
        "1,\"Smith, John\",\"He said \"\"hi\"\"\r\nthen left\"\r\n" +
        "2, spaced ,\"\"\"\"\r" +
        "\n" +
        "3,Zoë\u{00A0},\"日本\n語\"\n" +
        "4,,\r" +
        "5,\"\",\"a\r\rb\"\n" +
        "\"6\",\"x\",\"\"\"\"\"\""
    ).utf8)

    @Test func chunkBoundariesGiveIdenticalResults() throws {
        try withTempFile(Self.tricky) { path in
            let reference = try readRows(path)
            #expect(reference.map(\.line) == [1, 2, 4, 5, 7, 8, 11])
            #expect(reference.map(\.strings) == [
                ["Id", "Name", "Note"],
                ["1", "Smith, John", "He said \"hi\"\r\nthen left"],
                ["2", " spaced ", "\""],
                ["3", "Zoë\u{00A0}", "日本\n語"],
                ["4", "", ""],
                ["5", "", "a\r\rb"],
                ["6", "x", "\"\""],
            ])
            for chunk in 1...7 {
                let rows = try readRows(path, chunkSize: chunk)
                #expect(rows == reference, "chunkSize \(chunk)")
            }
        }
    }

    @Test func chunkBoundariesInMemory() throws {
        let reference = try withTempFile(Self.tricky) { try readRows($0) }
        for chunk in [1, 2, 3, 5, 7, 1 << 20] {
            let reader = CSVReader(bytes: Self.tricky, name: "mem", chunkSize: chunk)
            var rows: [Row] = []
            try reader.forEachRecord { view, line in
                rows.append(Row(fields: (0..<view.count).map { Array(view[$0]) }, line: line))
                return true
            }
            #expect(rows == reference, "chunkSize \(chunk)")
            #expect(reader.bytesRead == Self.tricky.count)
        }
        // The public in-memory initializer.
        let reader = CSVReader(bytes: Array("a,b\n".utf8))
        var seen: [[String]] = []
        try reader.forEachRecord { view, _ in seen.append(view.strings); return true }
        #expect(seen == [["a", "b"]])
    }

    @Test func tinyChunksOnLongRecord() throws {
        // A record much longer than the initial buffer, read 3 bytes at a time, forces growth.
        let long = String(repeating: "x", count: 5000)
        let quoted = String(repeating: "y\"\"", count: 2000)
        let text = "a,\(long),\"\(quoted)\"\nb,c,d\n"
        let rows = try withTempFile(text) { try readRows($0, chunkSize: 3) }
        #expect(rows.count == 2)
        #expect(rows[0].strings == ["a", long, String(repeating: "y\"", count: 2000)])
        #expect(rows[1].strings == ["b", "c", "d"])
        #expect(rows[1].line == 2)
    }

    // MARK: Line numbers

    @Test func lineNumbersAfterMultiLineFields() throws {
        let text = "h1,h2\n" +               // 1
            "1,\"a\nb\nc\"\n" +            // 2-4
            "2,\"x\r\ny\"\r\n" +           // 5-6
            "3,\"p\rq\"\n" +               // 7-8
            "\n" +                          // 9 (blank)
            "4,z\n"                         // 10
        let rows = try withTempFile(text) { try readRows($0) }
        #expect(rows.map(\.line) == [1, 2, 5, 7, 10])
        #expect(rows.map { $0.strings[0] } == ["h1", "1", "2", "3", "4"])
    }

    // MARK: Errors

    @Test func unterminatedQuote() throws {
        let error = try parseError("a,b\nc,\"open\nstill open\nand more")
        #expect(error?.line == 2)
        #expect(error?.message == "unterminated quoted field starting at line 2")
        // Also when the file ends right after the opening quote, read a byte at a time.
        let short = try parseError("a\n\"", chunkSize: 1)
        #expect(short?.message == "unterminated quoted field starting at line 2")
    }

    @Test func quoteInsideUnquotedField() throws {
        let error = try parseError("x,y\nok,a\"b\n")
        #expect(error?.line == 2)
        #expect(error?.message.contains("quote") == true)
    }

    @Test func characterAfterClosingQuote() throws {
        let error = try parseError("a\nb\n\"x\"y,z\n")
        #expect(error?.line == 3)
        #expect(error?.message.contains("after closing quote") == true)
        // A space after the closing quote is not allowed either.
        #expect(try parseError("\"x\" ,y\n")?.line == 1)
    }

    @Test func invalidUTF8() throws {
        let bad: [[UInt8]] = [
            [0xFF],                    // never valid
            [0x80],                    // lone continuation byte
            [0xC0, 0xAF],              // overlong
            [0xC3],                    // truncated 2-byte sequence at the field end
            [0xE2, 0x82],              // truncated 3-byte sequence
            [0xED, 0xA0, 0x80],        // UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0x61, 0xC3, 0x28],        // bad continuation
        ]
        for seq in bad {
            for quoted in [false, true] {
                let field: [UInt8] = quoted ? [0x22] + seq + [0x22] : seq
                let bytes = Array("h1,h2\nok,fine\n".utf8) + Array("x,".utf8) + field + [0x0A]
                let error = try parseError(bytes)
                #expect(error?.line == 3, "\(seq) quoted: \(quoted)")
                #expect(error?.message.contains("invalid UTF-8") == true, "\(seq) quoted: \(quoted)")
            }
        }
        let valid: [UInt8] = [0x24, 0xC2, 0xA2, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF]
        #expect(valid.withUnsafeBufferPointer { CSVReader.isValidUTF8($0) })
        for seq in bad {
            #expect(!seq.withUnsafeBufferPointer { CSVReader.isValidUTF8($0) }, "\(seq)")
        }
    }

    @Test func fieldLargerThanLimit() throws {
        let ok = try withTempFile("1234567890,\"abcdefghi\"\"\"\n") { try readRows($0, maxFieldBytes: 10) }
        #expect(ok.map(\.strings) == [["1234567890", "abcdefghi\""]])
        for chunk in [nil, 1, 4] as [Int?] {
            let unquoted = try parseError("a\nb,12345678901\n", chunkSize: chunk, maxFieldBytes: 10)
            #expect(unquoted?.line == 2)
            #expect(unquoted?.message.contains("larger than 10 bytes") == true)
            let quoted = try parseError("a\n\"x\n12345678901\"\n", chunkSize: chunk, maxFieldBytes: 10)
            #expect(quoted?.line == 2)
            #expect(quoted?.message.contains("larger than 10 bytes") == true)
        }
        // A huge unterminated field stops at the limit instead of swallowing the file.
        let huge = "\"" + String(repeating: "z", count: 200_000)
        let error = try parseError(huge, chunkSize: 1024, maxFieldBytes: 1000)
        #expect(error?.message.contains("larger than 1000 bytes") == true)
    }

    @Test func directoryAndMissingFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try CSVReader(path: dir.path)
            Issue.record("opening a directory should throw")
        } catch let error as CSVError {
            #expect(error.line == 0)
            #expect(error.path == dir.path)
            #expect(error.message.contains("directory"))
        }
        let missing = dir.appendingPathComponent("nope.csv").path
        #expect(throws: CSVError.self) { _ = try CSVReader(path: missing) }
    }

    @Test func errorDescriptionAndStickiness() throws {
        let error = CSVError(path: "/x/y.csv", line: 7, message: "boom")
        #expect(error.description == "/x/y.csv:7: boom")
        // After a parse error, a later call throws the same error again.
        let reader = CSVReader(bytes: Array("a\nb\"c\n".utf8), name: "mem.csv")
        var seen = 0
        let first = #expect(throws: CSVError.self) { try reader.forEachRecord { _, _ in seen += 1; return true } }
        #expect(seen == 1)
        #expect(first?.description == "mem.csv:2: unexpected quote in unquoted field 1")
        let second = #expect(throws: CSVError.self) { try reader.forEachRecord { _, _ in true } }
        #expect(second == first)
    }

    // MARK: Volume, progress, early stop

    @Test func hundredThousandRows() throws {
        var text = "Id,Name,Email,Amount,Stage,Note\n"
        text.reserveCapacity(8 << 20)
        for i in 0..<100_000 {
            text += "\(i),Name \(i),user\(i)@example.com,\(i * 3).50,\(i % 2 == 0 ? "Won" : "Lost"),"
            text += i % 10 == 0 ? "\"multi\nline, \"\"\(i)\"\"\"\n" : "plain \(i)\n"
        }
        let size = text.utf8.count
        try withTempFile(text) { path in
            let reader = try CSVReader(path: path)
            #expect(reader.totalBytes == size)
            var count = 0
            var widthErrors = 0
            var spot: [String] = []
            var spotLine = 0
            var lastLine = 0
            try reader.forEachRecord { view, line in
                if view.count != 6 { widthErrors += 1 }
                if count == 54_321 { spot = view.strings; spotLine = line }
                count += 1
                lastLine = line
                return true
            }
            #expect(count == 100_001)
            #expect(widthErrors == 0)
            #expect(spot == ["54320", "Name 54320", "user54320@example.com", "162960.50", "Won", "multi\nline, \"54320\""])
            #expect(spotLine == 1 + 54_320 + 5_432 + 1)   // header, earlier rows, earlier extra lines
            #expect(lastLine == 1 + 99_999 + 10_000 + 1)
            #expect(reader.bytesRead == size)
        }
    }

    @Test func memoryStaysBounded() throws {
        // 20k short rows read 64 bytes at a time: the buffer must never outgrow its initial
        // size (2 chunks), because only the record in progress is kept.
        var text = ""
        for i in 0..<20_000 { text += "\(i),\"q\(i)\",x\n" }
        try withTempFile(text) { path in
            let reader = try CSVReader(path: path, chunkSize: 64)
            let initial = reader.bufferCapacity
            var count = 0
            try reader.forEachRecord { _, _ in count += 1; return true }
            #expect(count == 20_000)
            #expect(reader.bufferCapacity == initial)
            #expect(initial <= 128)
        }
    }

    @Test func earlyStopAndResume() throws {
        try withTempFile("a\nb\nc\nd\ne\n") { path in
            let reader = try CSVReader(path: path)
            var seen: [String] = []
            try reader.forEachRecord { view, _ in
                seen.append(view.string(0))
                return seen.count < 2
            }
            #expect(seen == ["a", "b"])
            // A second call carries on after the last record delivered.
            var rest: [(String, Int)] = []
            try reader.forEachRecord { view, line in rest.append((view.string(0), line)); return true }
            #expect(rest.map(\.0) == ["c", "d", "e"])
            #expect(rest.map(\.1) == [3, 4, 5])
        }
    }

    @Test func bodyErrorsPropagate() throws {
        struct Stop: Error {}
        try withTempFile("a\nb\n") { path in
            let reader = try CSVReader(path: path)
            #expect(throws: Stop.self) { try reader.forEachRecord { _, _ in throw Stop() } }
        }
    }
}
