import Testing
@testable import Formats

/// The CSV reader under every separator and text encoding an export arrives in: Excel in a
/// European locale writes `;`, its "Unicode Text" is tab-separated UTF-16.
@Suite("CSV reader: separators, UTF-16, blank rows")
struct CSVReaderEncodingTests {
    static func rows(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 256 << 10) throws -> [[String]] {
        let reader = CSVReader(bytes: bytes, delimiter: delimiter, chunkSize: chunkSize)
        var rows: [[String]] = []
        try reader.forEachRecord { view, _ in
            rows.append(view.strings)
            return true
        }
        return rows
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return bytes
    }

    @Test(arguments: [UInt8(ascii: ";"), 0x09, UInt8(ascii: "|"), UInt8(ascii: ",")])
    func everySeparatorSplitsAndQuotesTheSameWay(delimiter: UInt8) throws {
        let d = String(UnicodeScalar(delimiter))
        let text = "a\(d)\"b\(d) \"\"q\"\" ,;|\t\"\(d)c\r\n\(d)\(d)\n\"multi\nline\"\(d)x\(d)\n"
        for chunk in [1, 2, 7, 256 << 10] {
            #expect(try Self.rows(Array(text.utf8), delimiter: delimiter, chunkSize: chunk) == [
                ["a", "b\(d) \"q\" ,;|\t", "c"],
                ["", "", ""],
                ["multi\nline", "x", ""],
            ], "chunk \(chunk)")
        }
    }

    @Test func aCommaIsPlainContentUnderAnotherSeparator() throws {
        #expect(try Self.rows(Array("1,5;2,5\n".utf8), delimiter: UInt8(ascii: ";")) == [["1,5", "2,5"]])
        // A stray quote is still an error, whatever the separator.
        #expect(throws: CSVError.self) { try Self.rows(Array("a\tb\"c\n".utf8), delimiter: 0x09) }
    }

    @Test(arguments: [false, true])
    func utf16IsConvertedAcrossEveryChunkBoundary(bigEndian: Bool) throws {
        let text = "Record Id\tName\r\n5725767000000524157\tZoë 😀 日本\r\n5725767000000524158\t\"a\ttab\"\r\n"
        let expected = [["Record Id", "Name"], ["5725767000000524157", "Zoë 😀 日本"], ["5725767000000524158", "a\ttab"]]
        for chunk in [1, 2, 3, 5, 64, 256 << 10] {
            let reader = CSVReader(bytes: Self.utf16(text, bigEndian: bigEndian), delimiter: 0x09, chunkSize: chunk)
            var rows: [[String]] = []
            try reader.forEachRecord { view, _ in rows.append(view.strings); return true }
            #expect(rows == expected, "chunk \(chunk)")
            #expect(reader.encoding == (bigEndian ? .utf16BE : .utf16LE))
            #expect(reader.bytesRead == reader.totalBytes)
        }
    }

    @Test func badUTF16IsAnErrorWithItsLine() throws {
        // A lone high surrogate on line 2, then an odd byte count at the end.
        let lone: [UInt8] = [0xFF, 0xFE] + Array("abc\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) + [0x00, 0xD8, 0x41, 0x00]
        #expect(throws: CSVError(path: "<memory>", line: 2, message: "invalid UTF-16 (a lone high surrogate)")) {
            try Self.rows(lone)
        }
        #expect(throws: CSVError(path: "<memory>", line: 1, message: "the file ends inside a UTF-16 character")) {
            try Self.rows([0xFF, 0xFE, 0x41, 0x00, 0x42])
        }
    }

    @Test func utf8InputIsUntouchedByTheSniffing() throws {
        // Fewer than two bytes, and a UTF-8 BOM, still read as before.
        #expect(try Self.rows(Array("a".utf8)) == [["a"]])
        #expect(try Self.rows([0xEF, 0xBB, 0xBF] + Array("x,y\n".utf8), chunkSize: 1) == [["x", "y"]])
        #expect(throws: CSVError.self) { try Self.rows([0xFF]) }
    }

    @Test func blankRowsAreEveryCellEmpty() throws {
        let reader = CSVReader(bytes: Array(",,\n\"\",,\n, ,\na,,\n".utf8))
        var blank: [Bool] = []
        try reader.forEachRecord { view, _ in blank.append(view.isBlank); return true }
        #expect(blank == [true, true, false, false])
    }
}
