import Testing
@testable import Formats
@testable import SampleData

/// What the scanner makes of `text` as one whole document holding an object: its output and
/// members, or nil when it declines (or leaves anything but white space after the object).
private func scan(_ text: String, quoting: StaticString? = nil) -> (json: String, members: [(key: String, text: String?, escaped: Bool)])? {
    scan(Array(text.utf8), quoting: quoting)
}

private func scan(_ bytes: [UInt8], quoting: StaticString? = nil) -> (json: String, members: [(key: String, text: String?, escaped: Bool)])? {
    var scanner = JSONCanonicalScanner()
    var out: [UInt8] = [0x2A]   // output is appended after what the buffer holds
    var members: [JSONCanonicalScanner.Member] = []
    let accepted = bytes.withUnsafeBufferPointer { buffer in
        scanner.begin(buffer)
        return scanner.object(into: &out, members: &members, quotingNumberOf: quoting) && scanner.isAtEnd()
    }
    guard accepted else { return nil }
    #expect(out.first == 0x2A)
    let described = members.map { member -> (key: String, text: String?, escaped: Bool) in
        let key = String(decoding: out[member.key], as: UTF8.self)
        switch member.text {
        case .range(let range): return (key, String(decoding: out[range], as: UTF8.self), false)
        case .escaped: return (key, nil, true)
        case .none: return (key, nil, false)
        }
    }
    return (String(decoding: out.dropFirst(), as: UTF8.self), described)
}

/// The scanner's promise on `text`: when it accepts, it wrote what `JSON.write` writes of the
/// parsed value, and each member's text is the parsed member's `stringValue`.
private func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let scanned = scan(bytes) else { return false }
    guard case .object(let object)? = try? JSON.parse(bytes) else {
        Issue.record("the scanner accepted what the parser rejects: \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        return true
    }
    #expect(scanned.json == JSON.write(.object(object)), sourceLocation: sourceLocation)
    #expect(scanned.members.map(\.key) == Array(object.keys), sourceLocation: sourceLocation)
    for member in scanned.members where !member.escaped {
        #expect(member.text == object[member.key]?.stringValue, "\(member.key)", sourceLocation: sourceLocation)
    }
    for member in scanned.members where member.escaped {
        guard case .string? = object[member.key] else {
            Issue.record("\(member.key) is escaped but not a string", sourceLocation: sourceLocation)
            continue
        }
    }
    return true
}

@Suite("JSON: canonical scanner")
struct JSONCanonicalTests {
    @Test("accepted records come out as JSON.write writes the parsed value", arguments: [
        #"{"id":"5725767000000524157","Email":"ann@example.com","Phone":null,"Owner":{"name":"Pat","id":"1"}}"#,
        "  {\n \"id\" : 5725767000000524157 ,\t\"n\" : -12.50e-3 , \"a\" : [ 1 , [ ] , { } , true , false ] }\r\n",
        #"{"name":"Zoë Ünal","city":"東京","emoji":"😀"}"#,
        #"{"escapes":"a\"b\\c\/d\b\f\n\r\t","u":"\u00e9\u0000\u001f\u2028\ud83d\ude00","x":"\u0041"}"#,
        #"{"nested":{"a":{"b":{"c":[{"d":1},{"d":2}]}}},"e":""}"#,
        #"{}"#,
        #"{"zero":0,"neg":-0,"frac":0.5,"exp":1E+10,"big":123456789012345678901234567890}"#,
    ])
    func acceptedRecordsMatchTheParser(_ text: String) {
        #expect(expectAgreement(Array(text.utf8)), "declined: \(text)")
    }

    @Test func membersReportTextAsStringValueDoes() throws {
        let scanned = try #require(scan(#"{"s":"x y","n":12.50,"e":"a\nb","o":{"s":"inner"},"z":null,"b":true}"#))
        #expect(scanned.members.map(\.key) == ["s", "n", "e", "o", "z", "b"])
        #expect(scanned.members.map(\.text) == ["x y", "12.50", nil, nil, nil, nil])
        #expect(scanned.members.map(\.escaped) == [false, false, true, false, false, false])
    }

    @Test func aNumberIdIsWrittenAsAStringOnlyAtTheTop() throws {
        let scanned = try #require(scan(#"{"id":5725767000000524157,"Owner":{"id":42},"x":7}"#, quoting: "id"))
        #expect(scanned.json == #"{"id":"5725767000000524157","Owner":{"id":42},"x":7}"#)
        #expect(scanned.members.first?.text == "5725767000000524157")
        #expect(try #require(scan(#"{"id":"12"}"#, quoting: "id")).json == #"{"id":"12"}"#)
    }

    @Test("declines what it cannot prove equal, and what the parser rejects", arguments: [
        #"{"a":1,"a":2}"#,                       // duplicate key: the parser keeps the last value at the first place
        #"{"o":{"k":1,"k":2}}"#,                 // a duplicate inside
        #"{"K":1,"\u212A":2}"#,                  // an escaped key (the parser merges "K" and KELVIN SIGN)
        "{\"\u{212A}\":1}",                      // a non-ASCII key
        "\u{FEFF}{\"a\":1}",                     // a byte order mark
        #"{"a":1,}"#, #"{"a":[1,]}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":1e}"#,
        #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#,
        "{\"a\":\"tab\there\"}",                 // a raw control character
        #"{"a":tru}"#, #"{"a":nul}"#, #"{"a" 1}"#, #"{a:1}"#, #"{"a":1}x"#, #"{"a":1"#, #"["not an object"]"#,
        #"{"a":"unterminated}"#,
    ])
    func declines(_ text: String) {
        #expect(scan(text) == nil, "accepted: \(text)")
    }

    @Test func declinesInvalidUTF8AndDeepNesting() {
        for bytes: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF], [0xF4, 0x90, 0x80, 0x80]] {
            #expect(scan(Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)) == nil, "\(bytes)")
        }
        let deep = String(repeating: "[", count: JSONCanonicalScanner.maxDepth) + String(repeating: "]", count: JSONCanonicalScanner.maxDepth)
        #expect(scan(#"{"a":\#(deep)}"#) == nil)
        let allowed = String(repeating: "[", count: JSONCanonicalScanner.maxDepth - 1) + String(repeating: "]", count: JSONCanonicalScanner.maxDepth - 1)
        #expect(expectAgreement(Array(#"{"a":\#(allowed)}"#.utf8)))
    }

    @Test func manyKeysAreCheckedForDuplicatesAcrossRecords() {
        let keys = (0..<40).map { "Field_\($0)" }
        let record = "{" + keys.map { "\"\($0)\":\"v\"" }.joined(separator: ",") + "}"
        var scanner = JSONCanonicalScanner()
        var members: [JSONCanonicalScanner.Member] = []
        var out: [UInt8] = []
        var bytes = Array(record.utf8)
        for _ in 0..<2 {   // the second record is checked against the first's keys
            bytes.withUnsafeBufferPointer { scanner.begin($0) }
            #expect(bytes.withUnsafeBufferPointer { scanner.begin($0); return scanner.object(into: &out, members: &members) })
        }
        let duplicated = "{" + (keys + ["Field_7"]).map { "\"\($0)\":\"v\"" }.joined(separator: ",") + "}"
        bytes = Array(duplicated.utf8)
        #expect(!bytes.withUnsafeBufferPointer { scanner.begin($0); return scanner.object(into: &out, members: &members) })
        #expect(try! JSON.parse(bytes).objectValue?.count == 40)
    }

    /// Random documents in the shape of records, written with random white space and escapes:
    /// every one the scanner accepts agrees with the parser, and it accepts every one without a
    /// duplicate key. Then each is cut and has a byte changed: accepted ones still agree.
    @Test func randomDocumentsAgreeWithTheParser() {
        var random = RandomDocuments(seed: 0x5EED)
        var accepted = 0, withoutDuplicates = 0
        for _ in 0..<400 {
            let text = random.document()
            let bytes = Array(text.utf8)
            if random.lastHadNoDuplicate { withoutDuplicates += 1 }
            if expectAgreement(bytes) { accepted += 1 } else if random.lastHadNoDuplicate {
                Issue.record("declined a document without duplicate keys: \(text)")
            }
            for _ in 0..<8 {
                var mutated = bytes
                let at = Int(random.next() % UInt64(mutated.count))
                switch random.next() % 3 {
                case 0: mutated[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: mutated.remove(at: at)
                default: mutated = Array(mutated[..<at])
                }
                _ = expectAgreement(mutated)
            }
        }
        #expect(accepted == withoutDuplicates && accepted > 100)
    }
}

/// Random documents in the shape of records, the same on every run (the samples' generator).
private struct RandomDocuments {
    var random: SplitMix64
    var lastHadNoDuplicate = true

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    mutating func space() -> String { pick(["", "", "", " ", "\n", " \t", "\r\n  "]) }

    mutating func document() -> String {
        lastHadNoDuplicate = true
        return object(depth: 0)
    }

    mutating func object(depth: Int) -> String {
        let keys = ["id", "Email", "Secondary_Email", "Phone", "Owner", "name", "Modified_Time", "a", "b", "Tag_1"]
        var used: Set<String> = []
        var members: [String] = []
        for _ in 0..<Int(next() % 7) {
            let key = pick(keys)
            if !used.insert(key).inserted { lastHadNoDuplicate = false }
            members.append(space() + "\"" + key + "\"" + space() + ":" + value(depth: depth + 1))
        }
        return space() + "{" + members.joined(separator: ",") + space() + "}" + space()
    }

    mutating func value(depth: Int) -> String {
        let choice = next() % (depth > 3 ? 4 : 6)
        switch choice {
        case 0: return space() + string() + space()
        case 1: return space() + pick(["0", "-0", "12", "5725767000000524157", "12.50", "-3.5e-7", "1E+3", "0.0"]) + space()
        case 2: return space() + pick(["true", "false", "null"]) + space()
        case 3: return space() + string() + space()
        case 4: return object(depth: depth)
        default: return space() + "[" + (0..<Int(next() % 4)).map { _ in value(depth: depth + 1) }.joined(separator: ",") + "]" + space()
        }
    }

    mutating func string() -> String {
        let pieces = ["ann", "@example.com", " ", "Zoë", "東京", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\u0000",
                      "\\ud83d\\ude00", "\\u2028", "\u{00A0}", "\u{200B}", "x"]
        return "\"" + (0..<Int(next() % 5)).map { _ in pick(pieces) }.joined() + "\""
    }
}
