import Testing
@testable import Formats

/// Parses `text`, expecting a syntax error; fails the test if it parses.
private func syntaxError(_ text: String, maxDepth: Int = 256, sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
    syntaxError(Array(text.utf8), maxDepth: maxDepth, sourceLocation: sourceLocation)
}

private func syntaxError(_ bytes: [UInt8], maxDepth: Int = 256, sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
    do {
        let value = try JSON.parse(bytes, maxDepth: maxDepth)
        Issue.record("expected a syntax error, parsed \(JSON.write(value))", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Asserts an error at `line`:`column` whose message contains `fragment`.
private func expectError(_ text: String, line: Int, column: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    expectError(Array(text.utf8), line: line, column: column, fragment, sourceLocation: sourceLocation)
}

private func expectError(_ bytes: [UInt8], line: Int, column: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error = syntaxError(bytes, sourceLocation: sourceLocation) else { return }
    #expect(error.line == line, "line of: \(error)", sourceLocation: sourceLocation)
    #expect(error.column == column, "column of: \(error)", sourceLocation: sourceLocation)
    #expect(error.message.contains(fragment), "message of: \(error)", sourceLocation: sourceLocation)
}

@Suite("JSON")
struct JSONTests {
    // MARK: round trips

    @Test("parse then write gives the canonical compact form", arguments: [
        ("  { \"a\" : 1 ,\n\t\"b\" : [ true , false , null ] , \"c\" : { } , \"d\" : [ ] }\r\n",
         #"{"a":1,"b":[true,false,null],"c":{},"d":[]}"#),
        (#"[ "x" , -0 , 0.5 , -12.50e-3 , 1E+10 ]"#, #"["x",-0,0.5,-12.50e-3,1E+10]"#),
        (#"{"z":1,"a":2,"m":{"y":[1,[2,[3]]],"b":null}}"#, #"{"z":1,"a":2,"m":{"y":[1,[2,[3]]],"b":null}}"#),
        ("\"plain\"", "\"plain\""),
        (" 42 ", "42"),
        ("null", "null"),
        (#"["\/path\/to"]"#, #"["/path/to"]"#),
    ])
    func roundTrip(input: String, canonical: String) throws {
        let value = try JSON.parse(input)
        #expect(JSON.write(value) == canonical)
        // The canonical form is a fixed point.
        #expect(JSON.write(try JSON.parse(canonical)) == canonical)
        #expect(try JSON.parse(canonical) == value)
    }

    @Test("the three parse entry points agree, and write(into:) appends")
    func entryPoints() throws {
        let text = #"{"data":[{"id":1},{"id":2}],"info":{"more_records":false}}"#
        let bytes = Array(text.utf8)
        let fromString = try JSON.parse(text)
        let fromArray = try JSON.parse(bytes)
        let fromBuffer = try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSON.parse(buffer) }
        #expect(fromString == fromArray)
        #expect(fromArray == fromBuffer)
        var out: [UInt8] = Array("prefix:".utf8)
        JSON.write(fromString, into: &out)
        #expect(out == Array("prefix:".utf8) + bytes)
    }

    // MARK: numbers

    @Test("a 19-digit record id is kept as its exact literal")
    func nineteenDigitID() throws {
        let value = try JSON.parse(#"{"id":5725767000000524157,"Owner":{"id":"5725767000000524158"}}"#)
        #expect(value["id"] == .number("5725767000000524157"))
        #expect(value["id"]?.stringValue == "5725767000000524157")
        #expect(value["Owner"]?["id"] == .string("5725767000000524158"))
        #expect(JSON.write(value) == #"{"id":5725767000000524157,"Owner":{"id":"5725767000000524158"}}"#)
        // Through a Double it would have become 5725767000000524288.
        #expect(Double("5725767000000524157").map { Int64($0) } != 5725767000000524157)
        #expect(try JSON.parse("5725767000000524157") == .number("5725767000000524157"))
    }

    @Test("decimals and exponents keep their literal text", arguments: ["12.50", "1e5", "-0.0", "1E+10", "2.5e-07", "0", "-0", "100"])
    func numberLiterals(literal: String) throws {
        let value = try JSON.parse("[\(literal)]")
        #expect(value == .array([.number(literal)]))
        #expect(JSON.write(value) == "[\(literal)]")
    }

    @Test("numbers that break the grammar are rejected", arguments: ["01", "-01", "00", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "1.e5", "0x10", "NaN", "Infinity", "-Infinity", "1.5.2"])
    func invalidNumbers(literal: String) {
        #expect(syntaxError("[\(literal)]") != nil)
    }

    // MARK: strings

    @Test("escape sequences are decoded")
    func escapes() throws {
        let value = try JSON.parse(#""a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u0000z""#)
        #expect(value == .string("a\"b\\c/d\u{08}\u{0C}\n\r\tA\u{E9}\u{0}z"))
        // Writing escapes only what RFC 8259 requires; "/" and non-ASCII stay raw, NUL becomes \u0000.
        #expect(JSON.write(value) == #""a\"b\\c/d\b\f\n\r\tAé\u0000z""#)
    }

    @Test("surrogate pairs decode to one scalar, written as raw UTF-8")
    func surrogatePairs() throws {
        let value = try JSON.parse(#"["\uD83D\uDE00", "\ud834\udd1e x"]"#)
        #expect(value == .array([.string("\u{1F600}"), .string("\u{1D11E} x")]))
        var out: [UInt8] = []
        JSON.write(value, into: &out)
        #expect(out == Array("[\"".utf8) + [0xF0, 0x9F, 0x98, 0x80] + Array("\",\"".utf8) + [0xF0, 0x9D, 0x84, 0x9E] + Array(" x\"]".utf8))
    }

    @Test("control characters are written escaped; DEL and '/' are not")
    func writerEscapes() {
        let value = JSONValue.string("\u{01}\u{1F}\u{7F}/\u{08}\u{0C}")
        #expect(JSON.write(value) == "\"\\u0001\\u001f\u{7F}/\\b\\f\"")
        #expect(JSON.write(.object(["k\"ey": .string("v\\")])) == #"{"k\"ey":"v\\"}"#)
    }

    @Test("non-ASCII text survives parse and write byte for byte")
    func nonASCIIByteExact() throws {
        // "Émile", a no-break space U+00A0, a zero-width space U+200B, as raw UTF-8.
        let bytes: [UInt8] = Array(#"{"First_Name":""#.utf8) + [0xC3, 0x89] + Array("mile".utf8)
            + Array(#"","Company":"Acme"#.utf8) + [0xC2, 0xA0] + Array("Ltd".utf8)
            + Array(#"","Note":"a"#.utf8) + [0xE2, 0x80, 0x8B] + Array(#"b"}"#.utf8)
        let value = try JSON.parse(bytes)
        #expect(value["First_Name"] == .string("\u{C9}mile"))
        #expect(value["Company"] == .string("Acme\u{A0}Ltd"))
        #expect(value["Note"]?.stringValue?.unicodeScalars.map(\.value) == [0x61, 0x200B, 0x62])
        var out: [UInt8] = []
        JSON.write(value, into: &out)
        #expect(out == bytes)
        #expect(Array(JSON.write(value).utf8) == bytes)
        // The escaped spellings decode to the same text and are written raw.
        let escaped = try JSON.parse(#"["\u00c9mile","\u00a0","\u200b"]"#)
        #expect(Array(JSON.write(escaped).utf8) == Array("[\"".utf8) + [0xC3, 0x89] + Array("mile\",\"".utf8) + [0xC2, 0xA0] + Array("\",\"".utf8) + [0xE2, 0x80, 0x8B] + Array("\"]".utf8))
    }

    @Test("a UTF-8 byte order mark at the start is skipped and not counted in columns")
    func byteOrderMark() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(try JSON.parse(bom + Array(#"{"a":[1]}"#.utf8)) == .object(["a": .array([.number("1")])]))
        expectError(bom + Array("[1,]".utf8), line: 1, column: 4, "trailing comma")
        // A BOM anywhere else is not whitespace.
        #expect(syntaxError(Array("[1]".utf8) + bom) != nil)
    }

    // MARK: objects

    @Test("duplicate keys: the last value wins at the position of the first")
    func duplicateKeys() throws {
        let value = try JSON.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue.map { Array($0.keys) } == ["a", "b"])
        #expect(value["a"] == .number("3"))
        #expect(JSON.write(value) == #"{"a":3,"b":2}"#)
    }

    @Test("object member order is preserved and matters for equality")
    func memberOrder() throws {
        let value = try JSON.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(value.objectValue.map { Array($0.keys) } == ["z", "a", "m"])
        #expect(try JSON.parse(#"{"a":2,"z":1,"m":3}"#) != value)
    }

    @Test("accessors and type names")
    func accessors() throws {
        let value = try JSON.parse(#"{"s":"x","n":12.50,"b":true,"z":null,"a":[1,"two"],"o":{"k":"v"}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.stringValue == "12.50")
        #expect(value["b"]?.stringValue == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["z"]?.isNull == true)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["a"]?[1] == .string("two"))
        #expect(value["a"]?[2] == nil)
        #expect(value["o"]?.objectValue?["k"] == .string("v"))
        #expect(value["missing"] == nil)
        #expect(value["a"]?["k"] == nil)
        #expect(value["s"]?.arrayValue == nil)
        #expect(value["s"]?.objectValue == nil)
        let names = ["s", "n", "b", "z", "a", "o"].compactMap { value[$0]?.typeName }
        #expect(names == ["string", "number", "boolean", "null", "array", "object"])
        #expect(value.description == JSON.write(value))
    }

    // MARK: errors with positions

    @Test("empty and truncated documents report the end of input")
    func truncated() {
        expectError("", line: 1, column: 1, "unexpected end of input")
        expectError("   \n  ", line: 2, column: 3, "unexpected end of input")
        expectError(#"{"data":[1,2"#, line: 1, column: 13, "unexpected end of input")
        expectError(#"{"data":[1,2"#, line: 1, column: 13, "expected ',' or ']' after array element")
        expectError(#"{"data":[1,2]"#, line: 1, column: 14, "expected ',' or '}' after object member")
        expectError(#"{"data""#, line: 1, column: 8, "expected ':' after object key")
        expectError("[", line: 1, column: 2, "unexpected end of input")
        expectError("tru", line: 1, column: 4, "unexpected end of input")
    }

    @Test("a mismatched bracket says what was expected")
    func mismatchedBracket() {
        expectError(#"{"data":[1,2}"#, line: 1, column: 13, "expected ',' or ']' after array element")
        expectError(#"{"a":1]"#, line: 1, column: 7, "expected ',' or '}' after object member")
        expectError(#"{"a" 1}"#, line: 1, column: 6, "expected ':' after object key")
        expectError("{\n  \"a\": 1,\n  \"b\" 2\n}", line: 3, column: 7, "expected ':' after object key")
    }

    @Test("trailing commas are rejected at the closing bracket")
    func trailingCommas() {
        expectError("[1,2,]", line: 1, column: 6, "trailing comma")
        expectError("{\"a\":1,\n}", line: 2, column: 1, "trailing comma")
        expectError("[,1]", line: 1, column: 2, "expected a JSON value")
    }

    @Test("leading zeros are rejected at the extra digit")
    func leadingZeros() {
        expectError("[01]", line: 1, column: 3, "leading zeros")
        expectError(#"{"n":-007}"#, line: 1, column: 8, "leading zeros")
    }

    @Test("lone surrogates are rejected at their escape")
    func loneSurrogates() {
        expectError(#"["\uD800"]"#, line: 1, column: 3, "lone surrogate")
        expectError(#"["ab\uD83Dx"]"#, line: 1, column: 5, "lone surrogate")
        expectError(#"["\uD83D\u0041"]"#, line: 1, column: 3, "lone surrogate")
        expectError(#"["\uDE00"]"#, line: 1, column: 3, "lone surrogate")
    }

    @Test("invalid escapes are rejected")
    func invalidEscapes() {
        expectError(#"["\x"]"#, line: 1, column: 4, "invalid escape")
        expectError(#"["\u12G4"]"#, line: 1, column: 7, "expected 4 hex digits")
        expectError(#"["\'"]"#, line: 1, column: 4, "invalid escape")
    }

    @Test("invalid UTF-8 is rejected at the offending byte")
    func invalidUTF8() {
        let q = UInt8(ascii: "\"")
        expectError([q, 0xFF, q], line: 1, column: 2, "invalid UTF-8")                 // never valid
        expectError([q, 0x41, 0xC3, 0x28, q], line: 1, column: 4, "invalid UTF-8")     // bad continuation
        expectError([q, 0xC0, 0x80, q], line: 1, column: 2, "invalid UTF-8")           // overlong NUL
        expectError([q, 0xED, 0xA0, 0x80, q], line: 1, column: 3, "invalid UTF-8")     // encoded surrogate
        expectError([q, 0xF4, 0x90, 0x80, 0x80, q], line: 1, column: 3, "invalid UTF-8") // beyond U+10FFFF
        expectError([q, 0x80, q], line: 1, column: 2, "invalid UTF-8")                 // stray continuation
        expectError([q, 0xE2, 0x80], line: 1, column: 2, "invalid UTF-8")              // truncated at end
        expectError(Array("[1]\n".utf8) + [0xFE], line: 2, column: 1, "invalid UTF-8") // outside a string
        expectError(Array(#"{"a":1,"#.utf8) + [0x80] + Array("}".utf8), line: 1, column: 8, "invalid UTF-8")
    }

    @Test("valid non-ASCII outside a string is an unexpected character, not invalid UTF-8")
    func unexpectedNonASCII() {
        guard let error = syntaxError("[\"é\",é]") else { return }
        #expect(error.line == 1 && error.column == 6)
        #expect(error.message.contains("unexpected character 'é'"))
        #expect(!error.message.contains("invalid UTF-8"))
    }

    @Test("raw control characters inside strings are rejected")
    func controlCharacters() {
        expectError("{\"a\":\"x\ny\"}", line: 1, column: 8, "control character")
        expectError("[\"tab\there\"]", line: 1, column: 6, "control character")
        expectError([UInt8(ascii: "\""), 0x00, UInt8(ascii: "\"")], line: 1, column: 2, "control character")
    }

    @Test("unterminated strings point at the opening quote")
    func unterminatedStrings() {
        expectError(#"{"a":"abc"#, line: 1, column: 6, "unterminated string")
        expectError(#"["abc\"#, line: 1, column: 2, "unterminated string")
        expectError(#"{"ke"#, line: 1, column: 2, "unterminated string")
    }

    @Test("anything after the value is trailing garbage")
    func trailingGarbage() {
        expectError("{} x", line: 1, column: 4, "expected end of input")
        expectError("[1]]", line: 1, column: 4, "expected end of input")
        expectError("1 2", line: 1, column: 3, "expected end of input")
        expectError("{}\n\n  {}", line: 3, column: 3, "expected end of input")
    }

    @Test("non-JSON syntax is rejected", arguments: [
        "// comment\n{}", "/* c */ []", "{'a':1}", "['a']", "{a:1}", "[NaN]", "[Infinity]",
        "[undefined]", "[True]", "[nul]", "[truex]", "{\"a\":1,,\"b\":2}", "{\"a\"::1}", "[1 2]", "",
    ])
    func notJSON(text: String) {
        #expect(syntaxError(text) != nil)
    }

    @Test("columns count characters, not bytes")
    func columnsCountCharacters() {
        expectError("[\"Émile\",x]", line: 1, column: 10, "unexpected character 'x'")
        expectError("[\"\u{1F600}\",x]", line: 1, column: 6, "unexpected character 'x'")
    }

    @Test("error description has line, column and message")
    func errorDescription() {
        let error = JSONSyntaxError(line: 3, column: 7, message: "expected ':' after object key")
        #expect(error.description == "line 3, column 7: expected ':' after object key")
        #expect(syntaxError("{\n  \"a\": 1,\n  \"b\" 2\n}")?.description.hasPrefix("line 3, column 7: ") == true)
    }

    // MARK: depth

    @Test("10,000-deep nesting is an error, not a crash")
    func deepNesting() {
        let arrays = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        expectError(arrays, line: 1, column: 257, "nesting too deep")
        let objects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        expectError(objects, line: 1, column: 256 * 5 + 1, "nesting too deep")
        // Unclosed deep input too.
        #expect(syntaxError(String(repeating: "[", count: 100_000)) != nil)
    }

    @Test("maxDepth is the number of nested containers allowed")
    func depthLimit() throws {
        let at256 = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        var value = try JSON.parse(at256)
        var depth = 0
        while case .array(let inner) = value {
            depth += 1
            value = inner.first ?? .null
        }
        #expect(depth == 256)
        let at257 = "[" + at256 + "]"
        #expect(syntaxError(at257)?.message.contains("nesting too deep") == true)
        #expect(syntaxError("[[1]]", maxDepth: 1) != nil)
        #expect(try JSON.parse(Array("[[1]]".utf8), maxDepth: 2) == .array([.array([.number("1")])]))
        #expect(try JSON.parse(Array("7".utf8), maxDepth: 0) == .number("7"))
    }

    // MARK: paths

    @Test("JSONPath descriptions")
    func paths() {
        let root = JSONPath()
        #expect(root.description == "$")
        #expect(root.key("data").index(3).key("Email").description == "$.data[3].Email")
        #expect(root.key("a b").description == #"$["a b"]"#)
        #expect(root.key("$currency_symbol").description == #"$["$currency_symbol"]"#)
        #expect(root.key("Last_Name2").key("_x").description == "$.Last_Name2._x")
        #expect(root.key("2nd").key("").description == #"$["2nd"][""]"#)
        #expect(root.key("say \"hi\"").description == #"$["say \"hi\""]"#)
        #expect(root.index(0).index(12).description == "$[0][12]")
        #expect(root.key("a") == JSONPath().key("a"))
        #expect(root.key("a") != root.index(0))
    }

    // MARK: pretty output

    @Test("writePretty indents with two spaces")
    func pretty() throws {
        let value = try JSON.parse(#"{"id":5725767000000524157,"name":"Émile","tags":["a",{"k":null}],"empty":{},"none":[],"ok":true}"#)
        let expected = """
        {
          "id": 5725767000000524157,
          "name": "Émile",
          "tags": [
            "a",
            {
              "k": null
            }
          ],
          "empty": {},
          "none": [],
          "ok": true
        }
        """
        #expect(JSON.writePretty(value) == expected)
        #expect(try JSON.parse(expected) == value)
        #expect(JSON.writePretty(.string("x\n")) == #""x\n""#)
    }
}
