// JSON.swift — an exact JSON value type, a strict position-reporting parser and a deterministic writer.
//
// Why not Foundation's JSONSerialization / JSONDecoder: Zoho record ids are 19-digit integers
// (e.g. 5725767000000524157) that do not survive a trip through Double, decimals such as "12.50"
// must keep their literal text, and error messages must point at a line and column. This parser
// works on raw UTF-8 bytes, keeps every number as the literal text it was written with, and never
// recurses (nesting depth is bounded by `maxDepth` and tracked on an explicit stack).

import OrderedCollections

/// A JSON object: members in document order. Equality is order-sensitive (see `JSONValue`).
public typealias JSONObject = OrderedDictionary<String, JSONValue>

/// A JSON value, kept exactly as written.
///
/// - Numbers are stored as their literal text (`.number("12.50")`, `.number("1e5")`,
///   `.number("5725767000000524157")`); they never pass through `Double`. Equality of numbers is
///   equality of the literal text, so `.number("1.0") != .number("1")`.
/// - Objects keep member order; two objects are equal only if they hold the same members in the
///   same order (this is `OrderedDictionary`'s equality).
/// - Strings compare with Swift `String` semantics (Unicode canonical equivalence), but the bytes
///   written by `JSON.write` are exactly the bytes that were parsed.
public enum JSONValue: Equatable, Hashable, Sendable {
    case null
    case bool(Bool)
    /// The literal text exactly as written in the document (grammar-checked by the parser).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// `.string` → the string, `.number` → its literal text, anything else → nil.
    public var stringValue: String? {
        switch self {
        case .string(let text): return text
        case .number(let literal): return literal
        default: return nil
        }
    }

    /// The members of an `.object`, else nil.
    public var objectValue: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an `.array`, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The value of a `.bool`, else nil.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` of an `.object`; nil if absent or if this is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` of an `.array`; nil if out of range or if this is not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The JSON type name for error messages: "null", "boolean", "number", "string", "array", "object".
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text (same as `JSON.write(self)`).
    public var description: String { JSON.write(self) }
}

/// A syntax error with the 1-based line and column of the offending byte.
///
/// Lines are separated by LF ("\r\n" counts as one line break). Columns count Unicode scalars
/// (characters) from the start of the line, so for ASCII text the column is the byte column.
/// A leading UTF-8 byte order mark is not counted. Errors at the end of the input point just past
/// the last character.
public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Parsing and writing JSON text.
public enum JSON {
    /// Parses one JSON document (RFC 8259, strict).
    ///
    /// - Any value may be the top-level value; leading and trailing whitespace is allowed, anything
    ///   else after the value is an error.
    /// - Rejected: comments, trailing commas, single quotes, NaN/Infinity, leading zeros (`01`),
    ///   raw control characters (U+0000–U+001F) inside strings, invalid escapes, lone surrogates in
    ///   `\u` escapes, and invalid UTF-8 anywhere in the input.
    /// - A UTF-8 byte order mark at the very start is skipped.
    /// - Duplicate keys in an object: the **last value wins, but the member keeps the position of the
    ///   first occurrence** (`{"a":1,"b":2,"a":3}` parses as `{"a":3,"b":2}`).
    /// - Nesting deeper than `maxDepth` arrays/objects is an error (the parser uses an explicit stack,
    ///   so deep input can never overflow the call stack).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 256) throws(JSONSyntaxError) -> JSONValue {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONSyntaxError(line: 1, column: 1, message: "unexpected end of input; expected a JSON value")
        }
        var parser = JSONParser(input: base, count: bytes.count, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses one JSON document from UTF-8 bytes. See `parse(_:maxDepth:)` on `UnsafeBufferPointer`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 256) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONSyntaxError) { return .success(try parse(buffer, maxDepth: maxDepth)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses one JSON document from a string (its UTF-8 form). See `parse(_:maxDepth:)`.
    public static func parse(_ text: String, maxDepth: Int = 256) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONSyntaxError> = text.withUTF8 { buffer in
            do throws(JSONSyntaxError) { return .success(try parse(buffer, maxDepth: maxDepth)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Compact, deterministic JSON text: no whitespace, object members in stored order, strings
    /// escaped per RFC 8259 (`"` `\` and U+0000–U+001F only; `\n \r \t \b \f` or `\u00XX`), non-ASCII
    /// written as raw UTF-8, `/` not escaped, numbers written as their literal text (unchecked).
    public static func write(_ value: JSONValue) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        write(value, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the compact form of `value` (see `write(_:)`) to `buffer` as UTF-8.
    public static func write(_ value: JSONValue, into buffer: inout [UInt8]) {
        switch value {
        case .null: appendASCII("null", to: &buffer)
        case .bool(let flag): appendASCII(flag ? "true" : "false", to: &buffer)
        case .number(let literal): appendUTF8(of: literal, to: &buffer)
        case .string(let text): writeString(text, into: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                write(member, into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// Indented JSON text for humans: 2 spaces per level, one member or element per line,
    /// `"key": value`, empty containers as `[]` / `{}`, no trailing newline. Scalars and strings
    /// are written exactly as by `write(_:)`.
    public static func writePretty(_ value: JSONValue) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128)
        writePretty(value, into: &buffer, level: 0)
        return String(decoding: buffer, as: UTF8.self)
    }

    // MARK: writer internals

    private static func writePretty(_ value: JSONValue, into buffer: inout [UInt8], level: Int) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            buffer.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { buffer.append(UInt8(ascii: ",")) }
                newline(level + 1, &buffer)
                writePretty(element, into: &buffer, level: level + 1)
            }
            newline(level, &buffer)
            buffer.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                newline(level + 1, &buffer)
                writeString(key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                buffer.append(UInt8(ascii: " "))
                writePretty(member, into: &buffer, level: level + 1)
            }
            newline(level, &buffer)
            buffer.append(UInt8(ascii: "}"))
        default:
            write(value, into: &buffer)
        }
    }

    private static func newline(_ level: Int, _ buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\n"))
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    @inline(__always)
    private static func appendASCII(_ text: StaticString, to buffer: inout [UInt8]) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func appendUTF8(of text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `text` as a JSON string literal: runs of bytes needing no escape are copied in bulk.
    static func writeString(_ text: String, into buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString($0, to: &buffer) }
    }

    /// Appends UTF-8 `bytes` as a JSON string literal; runs needing no escape are copied whole.
    /// Public for the bulk loader, which writes record JSON straight from CSV bytes and must
    /// produce exactly what `write` does.
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        guard let base = bytes.baseAddress else {
            buffer.append(UInt8(ascii: "\""))
            return
        }
        let count = bytes.count
        var runStart = 0
        var index = 0
        while index < count {
            let byte = base[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index &+= 1
                continue
            }
            if index > runStart { buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart)) }
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            default:
                buffer.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            }
            index &+= 1
            runStart = index
        }
        if count > runStart { buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
        buffer.append(UInt8(ascii: "\""))
    }
}

/// A location inside a JSON document for error messages, e.g. `$.data[3].Email`.
///
/// Keys that are identifiers (ASCII letter or `_`, then letters, digits, `_`) use dot notation;
/// any other key uses bracket notation with a JSON string literal: `$["a b"]`, `$["$state"]`.
public struct JSONPath: CustomStringConvertible, Hashable, Sendable {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// The steps from the root, outermost first.
    public private(set) var components: [Component]

    /// The root, `$`.
    public init() { components = [] }

    /// This path extended by an object member.
    public func key(_ name: String) -> JSONPath {
        var copy = self
        copy.components.append(.key(name))
        return copy
    }

    /// This path extended by an array element.
    public func index(_ position: Int) -> JSONPath {
        var copy = self
        copy.components.append(.index(position))
        return copy
    }

    public var description: String {
        var out = "$"
        for component in components {
            switch component {
            case .index(let position):
                out += "[\(position)]"
            case .key(let name):
                if JSONPath.isIdentifier(name) {
                    out += "."
                    out += name
                } else {
                    var buffer: [UInt8] = []
                    JSON.writeString(name, into: &buffer)
                    out += "["
                    out += String(decoding: buffer, as: UTF8.self)
                    out += "]"
                }
            }
        }
        return out
    }

    static func isIdentifier(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let isLetter = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if !(isLetter || (!first && isDigit)) { return false }
            first = false
        }
        return !first
    }
}

// MARK: - Parser

/// An open array or object on the parser's explicit stack. Its elements (and, for objects, keys)
/// live at the end of the parser's shared `values` / `keys` stacks from these offsets on.
private struct JSONFrame {
    var isObject: Bool
    var valueStart: Int
    var keyStart: Int
}

private struct JSONParser {
    /// The document's bytes, `end` of them.
    let input: UnsafePointer<UInt8>
    let end: Int
    /// Offset of the first byte after an optional BOM (line 1, column 1).
    let bodyStart: Int
    let maxDepth: Int
    /// Offset of the next byte to read.
    var position: Int

    var values: [JSONValue] = []
    var keys: [String] = []
    var frames: [JSONFrame] = []
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(input: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.input = input
        end = count
        self.maxDepth = maxDepth
        if count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF {
            bodyStart = 3
        } else {
            bodyStart = 0
        }
        position = bodyStart
    }

    // MARK: structure

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        var value: JSONValue = .null
        outer: while true {
            // Parse the start of a value.
            skipWhitespace()
            guard position < end else { throw eof("expected a JSON value") }
            switch input[position] {
            case UInt8(ascii: "{"):
                if frames.count >= maxDepth { throw tooDeep() }
                position += 1
                skipWhitespace()
                if position < end && input[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object([:])
                } else {
                    frames.append(JSONFrame(isObject: true, valueStart: values.count, keyStart: keys.count))
                    try parseKey(afterComma: false)
                    continue outer
                }
            case UInt8(ascii: "["):
                if frames.count >= maxDepth { throw tooDeep() }
                position += 1
                skipWhitespace()
                guard position < end else { throw eof("expected a JSON value or ']'") }
                if input[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    frames.append(JSONFrame(isObject: false, valueStart: values.count, keyStart: keys.count))
                    continue outer
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "]") where !frames.isEmpty && !frames[frames.count - 1].isObject && values.count > frames[frames.count - 1].valueStart:
                throw error("trailing comma in array: expected a value after ','", at: position)
            default:
                throw unexpected(at: position, "expected a JSON value")
            }

            // A complete value: add it to the enclosing container(s), closing them as they end.
            while true {
                guard let top = frames.last else { break outer }
                values.append(value)
                skipWhitespace()
                guard position < end else {
                    throw eof(top.isObject ? "expected ',' or '}' after object member" : "expected ',' or ']' after array element")
                }
                let byte = input[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if top.isObject { try parseKey(afterComma: true) }
                    continue outer
                }
                if top.isObject {
                    guard byte == UInt8(ascii: "}") else { throw unexpected(at: position, "expected ',' or '}' after object member") }
                    position += 1
                    value = .object(closeObject(top))
                } else {
                    guard byte == UInt8(ascii: "]") else { throw unexpected(at: position, "expected ',' or ']' after array element") }
                    position += 1
                    value = .array(closeArray(top))
                }
                frames.removeLast()
            }
        }
        skipWhitespace()
        if position < end { throw unexpected(at: position, "expected end of input after the JSON value") }
        return value
    }

    /// Parses `"key"` and `:` of an object member; `position` is just after `{` or `,`.
    mutating func parseKey(afterComma: Bool) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < end else { throw eof(afterComma ? "expected a string key" : "expected a string key or '}'") }
        let byte = input[position]
        guard byte == UInt8(ascii: "\"") else {
            if afterComma && byte == UInt8(ascii: "}") {
                throw error("trailing comma in object: expected a string key after ','", at: position)
            }
            throw unexpected(at: position, afterComma ? "expected a string key" : "expected a string key or '}'")
        }
        keys.append(try parseString())
        skipWhitespace()
        guard position < end else { throw eof("expected ':' after object key") }
        guard input[position] == UInt8(ascii: ":") else { throw unexpected(at: position, "expected ':' after object key") }
        position += 1
    }

    /// Builds the object for `frame` from the top of the key/value stacks and pops them.
    /// Duplicate keys: the last value wins, at the position of the first occurrence.
    mutating func closeObject(_ frame: JSONFrame) -> JSONObject {
        let count = keys.count - frame.keyStart
        var object = JSONObject(minimumCapacity: count)
        // Values are moved out of the stack (their slots refilled with trivial `.null`s) so that
        // no reference counting happens on the way into the object.
        values.withUnsafeMutableBufferPointer { stack in
            let base = stack.baseAddress! + frame.valueStart
            for offset in 0..<count {
                let member = (base + offset).move()
                (base + offset).initialize(to: .null)
                object[keys[frame.keyStart + offset]] = member  // existing key: replaced in place
            }
        }
        keys.removeSubrange(frame.keyStart...)
        values.removeSubrange(frame.valueStart...)
        return object
    }

    /// Builds the array for `frame` from the top of the value stack and pops it.
    mutating func closeArray(_ frame: JSONFrame) -> [JSONValue] {
        let count = values.count - frame.valueStart
        let elements = values.withUnsafeMutableBufferPointer { stack in
            let base = stack.baseAddress! + frame.valueStart
            let elements = [JSONValue](unsafeUninitializedCapacity: count) { buffer, initialized in
                buffer.baseAddress!.moveInitialize(from: base, count: count)
                initialized = count
            }
            base.initialize(repeating: .null, count: count)
            return elements
        }
        values.removeSubrange(frame.valueStart...)
        return elements
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let byte = input[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                position += 1
            } else {
                return
            }
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let length = word.utf8CodeUnitCount
        let expected = word.utf8Start
        for offset in 0..<length {
            guard position + offset < end else { throw eof("expected '\(word)'") }
            if input[position + offset] != expected[offset] {
                throw offset == 0 ? unexpected(at: position, "expected a JSON value") : unexpected(at: position + offset, "invalid literal; expected '\(word)'")
            }
        }
        position += length
    }

    // MARK: numbers

    /// number = [ minus ] int [ frac ] [ exp ]; returns the literal text.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = position
        if input[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end else { throw eof("expected a digit after '-'") }
        let first = input[position]
        if first == UInt8(ascii: "0") {
            position += 1
            if position < end && isDigit(input[position]) { throw error("leading zeros are not allowed in numbers", at: position) }
        } else if isDigit(first) {
            position += 1
            while position < end && isDigit(input[position]) { position += 1 }
        } else {
            throw unexpected(at: position, "expected a digit after '-'")
        }
        if position < end && input[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end else { throw eof("expected a digit after '.' in number") }
            guard isDigit(input[position]) else { throw unexpected(at: position, "expected a digit after '.' in number") }
            while position < end && isDigit(input[position]) { position += 1 }
        }
        if position < end && (input[position] == UInt8(ascii: "e") || input[position] == UInt8(ascii: "E")) {
            position += 1
            if position < end && (input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-")) { position += 1 }
            guard position < end else { throw eof("expected a digit in number exponent") }
            guard isDigit(input[position]) else { throw unexpected(at: position, "expected a digit in number exponent") }
            while position < end && isDigit(input[position]) { position += 1 }
        }
        return String(decoding: UnsafeBufferPointer(start: input + start, count: position - start), as: UTF8.self)
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // MARK: strings

    /// Parses a string token; `position` is at the opening quote. Strings without escapes are created
    /// directly from the input bytes; others are assembled in `scratch`.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = position
        position += 1
        let start = position
        while true {
            guard position < end else { throw unterminated(open) }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: input + start, count: position - start), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(open: open, start: start) }
            if byte < 0x20 { throw controlCharacter(at: position) }
            if byte < 0x80 { position += 1 } else { position += try utf8SequenceLength(at: position) }
        }
    }

    mutating func parseEscapedString(open: Int, start: Int) throws(JSONSyntaxError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: input + start, count: position - start))
        while true {
            // Copy a run of plain characters.
            let runStart = position
            while position < end {
                let byte = input[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                if byte < 0x80 { position += 1 } else { position += try utf8SequenceLength(at: position) }
            }
            if position > runStart { scratch.append(contentsOf: UnsafeBufferPointer(start: input + runStart, count: position - runStart)) }
            guard position < end else { throw unterminated(open) }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 { throw controlCharacter(at: position) }
            // A backslash escape.
            let escape = position
            position += 1
            guard position < end else { throw unterminated(open) }
            if let byte = JSONEscape.byte(standingFor: input[position]) {
                scratch.append(byte)
                position += 1
                continue
            }
            guard input[position] == UInt8(ascii: "u") else {
                throw unexpected(at: position, "invalid escape sequence; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\'")
            }
            position += 1
            let unit = try hex4(open: open)
            var scalar = unit
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard position + 1 < end, input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u") else {
                    throw error("lone surrogate \\u\(hex(unit)) in string: a high surrogate must be followed by a \\u low surrogate", at: escape)
                }
                position += 2
                let low = try hex4(open: open)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("lone surrogate \\u\(hex(unit)) in string: a high surrogate must be followed by a \\u low surrogate", at: escape)
                }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error("lone surrogate \\u\(hex(unit)) in string: a low surrogate must follow a high surrogate", at: escape)
            }
            appendScalar(scalar)   // `position` is already past the escape
        }
    }

    /// Reads exactly 4 hex digits at `position`.
    mutating func hex4(open: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < end else { throw unterminated(open) }
            guard let digit = JSONEscape.hexValue(input[position]) else { throw unexpected(at: position, "expected 4 hex digits after '\\u'") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Length of the well-formed UTF-8 sequence starting at `start` (whose first byte is >= 0x80),
    /// or an "invalid UTF-8" error at the first byte that makes it ill-formed (`UTF8Sequence`);
    /// a sequence cut short by the end of input is reported at its first byte.
    func utf8SequenceLength(at start: Int) throws(JSONSyntaxError) -> Int {
        switch UTF8Sequence.length(input, at: start, end: end) {
        case .success(let length): return length
        case .failure(.badLead):
            throw error("invalid UTF-8: byte 0x\(hex(UInt32(input[start]), width: 2)) cannot start a character", at: start)
        case .failure(.truncated):
            throw error("invalid UTF-8: multi-byte sequence truncated by the end of input", at: start)
        case .failure(.badContinuation(let offset)):
            throw error("invalid UTF-8: unexpected byte 0x\(hex(UInt32(input[offset]), width: 2)) in a multi-byte sequence", at: offset)
        }
    }

    mutating func appendScalar(_ scalar: UInt32) { UTF8Sequence.append(scalar, to: &scratch) }

    // MARK: errors (cold paths)

    @inline(never)
    func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        var line = 1
        var lineStart = bodyStart
        var scan = bodyStart
        while scan < offset {
            if input[scan] == 0x0A {
                line += 1
                lineStart = scan + 1
            }
            scan += 1
        }
        var column = 1
        scan = lineStart
        while scan < offset {
            if input[scan] & 0xC0 != 0x80 { column += 1 }
            scan += 1
        }
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    @inline(never)
    func eof(_ expectation: String) -> JSONSyntaxError {
        error("unexpected end of input; \(expectation)", at: end)
    }

    @inline(never)
    func unterminated(_ open: Int) -> JSONSyntaxError {
        error("unterminated string: no closing '\"' before end of input", at: open)
    }

    @inline(never)
    func tooDeep() -> JSONSyntaxError {
        error("nesting too deep: more than \(maxDepth) levels of arrays/objects", at: position)
    }

    @inline(never)
    func controlCharacter(at offset: Int) -> JSONSyntaxError {
        error("unescaped control character U+\(hex(UInt32(input[offset]))) in string; control characters must be escaped", at: offset)
    }

    /// "unexpected character …; <expectation>", or an invalid UTF-8 error if the byte at `offset` does not
    /// begin a well-formed character.
    @inline(never)
    func unexpected(at offset: Int, _ expectation: String) -> JSONSyntaxError {
        let byte = input[offset]
        let shown: String
        var hint = ""
        if byte >= 0x80 {
            let length: Int
            do { length = try utf8SequenceLength(at: offset) } catch { return error }
            let text = String(decoding: UnsafeBufferPointer(start: input + offset, count: length), as: UTF8.self)
            let scalar = text.unicodeScalars.first!.value
            shown = "'\(text)' (U+\(hex(scalar)))"
        } else if byte < 0x20 || byte == 0x7F {
            shown = "U+\(hex(UInt32(byte)))"
        } else {
            shown = "'\(Character(Unicode.Scalar(byte)))'"
            switch byte {
            case UInt8(ascii: "'"): hint = " (strings must use double quotes)"
            case UInt8(ascii: "/"), UInt8(ascii: "#"): hint = " (comments are not allowed in JSON)"
            case UInt8(ascii: "N"), UInt8(ascii: "I"): hint = " (NaN and Infinity are not valid JSON)"
            case UInt8(ascii: "+"): hint = " (numbers may not start with '+')"
            case UInt8(ascii: "."): hint = " (numbers need a digit before '.')"
            default: break
            }
        }
        return error("unexpected character \(shown); \(expectation)\(hint)", at: offset)
    }

    func hex(_ value: UInt32, width: Int = 4) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

// MARK: - Escapes and UTF-8

/// The escapes of a JSON string, for the parser and `JSONCanonicalScanner`, which must decode
/// exactly the same way.
enum JSONEscape {
    /// The byte a one-letter escape stands for (`n` after `\\`: LF); nil for `u` and anything invalid.
    @inline(__always)
    static func byte(standingFor letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return letter
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// The value of a hex digit of a `\\u` escape.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

/// Well-formed UTF-8 (Unicode table 3-7), for the parser and `JSONCanonicalScanner`, which must
/// accept exactly the same bytes.
enum UTF8Sequence {
    enum Problem: Error {
        /// The first byte cannot start a character.
        case badLead
        /// The input ends inside the sequence.
        case truncated
        /// The byte at this offset cannot continue the sequence.
        case badContinuation(Int)
    }

    /// The length of the sequence at `start` (its first byte >= 0x80), or why it is ill-formed.
    @inline(__always)
    static func length(_ input: UnsafePointer<UInt8>, at start: Int, end: Int) -> Result<Int, Problem> {
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch input[start] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowest = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; highest = 0x9F
        case 0xF0: length = 4; lowest = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; highest = 0x8F
        default: return .failure(.badLead)
        }
        for offset in 1..<length {
            guard start + offset < end else { return .failure(.truncated) }
            let byte = input[start + offset]
            guard byte >= lowest && byte <= highest else { return .failure(.badContinuation(start + offset)) }
            lowest = 0x80
            highest = 0xBF
        }
        return .success(length)
    }

    /// Appends the UTF-8 form of `scalar` (not a surrogate).
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
