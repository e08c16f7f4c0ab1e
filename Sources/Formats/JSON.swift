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
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }

    /// The members of an `.object`, else nil.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The elements of an `.array`, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The value of a `.bool`, else nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` of an `.object`; nil if absent or if this is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` of an `.array`; nil if out of range or if this is not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
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
        var parser = JSONParser(base: base, count: bytes.count, maxDepth: maxDepth)
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
        case .bool(let b): appendASCII(b ? "true" : "false", to: &buffer)
        case .number(let literal): appendUTF8(of: literal, to: &buffer)
        case .string(let s): writeString(s, into: &buffer)
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
            for (n, element) in elements.enumerated() {
                if n > 0 { buffer.append(UInt8(ascii: ",")) }
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
    private static func appendASCII(_ s: StaticString, to buffer: inout [UInt8]) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func appendUTF8(of s: String, to buffer: inout [UInt8]) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `s` as a JSON string literal: runs of bytes needing no escape are copied in bulk.
    static func writeString(_ s: String, into buffer: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString($0, to: &buffer) }
    }

    /// Appends UTF-8 `bytes` as a JSON string literal; runs needing no escape are copied whole.
    /// Public for the bulk loader, which writes record JSON straight from CSV bytes and must
    /// produce exactly what `write` does.
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        guard let p = bytes.baseAddress else {
            buffer.append(UInt8(ascii: "\""))
            return
        }
        let n = bytes.count
        var runStart = 0
        var j = 0
        while j < n {
            let c = p[j]
            if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") {
                j &+= 1
                continue
            }
            if j > runStart { buffer.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: j - runStart)) }
            buffer.append(UInt8(ascii: "\\"))
            switch c {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            default:
                buffer.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(c >> 4)], hexDigits[Int(c & 0x0F)]])
            }
            j &+= 1
            runStart = j
        }
        if n > runStart { buffer.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: n - runStart)) }
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
    public func key(_ k: String) -> JSONPath {
        var copy = self
        copy.components.append(.key(k))
        return copy
    }

    /// This path extended by an array element.
    public func index(_ i: Int) -> JSONPath {
        var copy = self
        copy.components.append(.index(i))
        return copy
    }

    public var description: String {
        var out = "$"
        for component in components {
            switch component {
            case .index(let i):
                out += "[\(i)]"
            case .key(let k):
                if JSONPath.isIdentifier(k) {
                    out += "."
                    out += k
                } else {
                    var buffer: [UInt8] = []
                    JSON.writeString(k, into: &buffer)
                    out += "["
                    out += String(decoding: buffer, as: UTF8.self)
                    out += "]"
                }
            }
        }
        return out
    }

    static func isIdentifier(_ k: String) -> Bool {
        var first = true
        for b in k.utf8 {
            let isLetter = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
            let isDigit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
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
    let p: UnsafePointer<UInt8>
    let end: Int
    /// Offset of the first byte after an optional BOM (line 1, column 1).
    let bodyStart: Int
    let maxDepth: Int
    var i: Int

    var values: [JSONValue] = []
    var keys: [String] = []
    var frames: [JSONFrame] = []
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        p = base
        end = count
        self.maxDepth = maxDepth
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            bodyStart = 3
        } else {
            bodyStart = 0
        }
        i = bodyStart
    }

    // MARK: structure

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        var value: JSONValue = .null
        outer: while true {
            // Parse the start of a value.
            skipWhitespace()
            guard i < end else { throw eof("expected a JSON value") }
            switch p[i] {
            case UInt8(ascii: "{"):
                if frames.count >= maxDepth { throw tooDeep() }
                i += 1
                skipWhitespace()
                if i < end && p[i] == UInt8(ascii: "}") {
                    i += 1
                    value = .object([:])
                } else {
                    frames.append(JSONFrame(isObject: true, valueStart: values.count, keyStart: keys.count))
                    try parseKey(afterComma: false)
                    continue outer
                }
            case UInt8(ascii: "["):
                if frames.count >= maxDepth { throw tooDeep() }
                i += 1
                skipWhitespace()
                guard i < end else { throw eof("expected a JSON value or ']'") }
                if p[i] == UInt8(ascii: "]") {
                    i += 1
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
                throw error("trailing comma in array: expected a value after ','", at: i)
            default:
                throw unexpected(at: i, "expected a JSON value")
            }

            // A complete value: add it to the enclosing container(s), closing them as they end.
            while true {
                guard let top = frames.last else { break outer }
                values.append(value)
                skipWhitespace()
                guard i < end else {
                    throw eof(top.isObject ? "expected ',' or '}' after object member" : "expected ',' or ']' after array element")
                }
                let c = p[i]
                if c == UInt8(ascii: ",") {
                    i += 1
                    if top.isObject { try parseKey(afterComma: true) }
                    continue outer
                }
                if top.isObject {
                    guard c == UInt8(ascii: "}") else { throw unexpected(at: i, "expected ',' or '}' after object member") }
                    i += 1
                    value = .object(closeObject(top))
                } else {
                    guard c == UInt8(ascii: "]") else { throw unexpected(at: i, "expected ',' or ']' after array element") }
                    i += 1
                    value = .array(closeArray(top))
                }
                frames.removeLast()
            }
        }
        skipWhitespace()
        if i < end { throw unexpected(at: i, "expected end of input after the JSON value") }
        return value
    }

    /// Parses `"key"` and `:` of an object member; `i` is just after `{` or `,`.
    mutating func parseKey(afterComma: Bool) throws(JSONSyntaxError) {
        skipWhitespace()
        guard i < end else { throw eof(afterComma ? "expected a string key" : "expected a string key or '}'") }
        let c = p[i]
        guard c == UInt8(ascii: "\"") else {
            if afterComma && c == UInt8(ascii: "}") {
                throw error("trailing comma in object: expected a string key after ','", at: i)
            }
            throw unexpected(at: i, afterComma ? "expected a string key" : "expected a string key or '}'")
        }
        keys.append(try parseString())
        skipWhitespace()
        guard i < end else { throw eof("expected ':' after object key") }
        guard p[i] == UInt8(ascii: ":") else { throw unexpected(at: i, "expected ':' after object key") }
        i += 1
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
            for k in 0..<count {
                let member = (base + k).move()
                (base + k).initialize(to: .null)
                object[keys[frame.keyStart + k]] = member  // existing key: replaced in place
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
        while i < end {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                i += 1
            } else {
                return
            }
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        for k in 0..<n {
            guard i + k < end else { throw eof("expected '\(word)'") }
            if p[i + k] != w[k] {
                throw k == 0 ? unexpected(at: i, "expected a JSON value") : unexpected(at: i + k, "invalid literal; expected '\(word)'")
            }
        }
        i += n
    }

    // MARK: numbers

    /// number = [ minus ] int [ frac ] [ exp ]; returns the literal text.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = i
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end else { throw eof("expected a digit after '-'") }
        let first = p[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < end && isDigit(p[i]) { throw error("leading zeros are not allowed in numbers", at: i) }
        } else if isDigit(first) {
            i += 1
            while i < end && isDigit(p[i]) { i += 1 }
        } else {
            throw unexpected(at: i, "expected a digit after '-'")
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end else { throw eof("expected a digit after '.' in number") }
            guard isDigit(p[i]) else { throw unexpected(at: i, "expected a digit after '.' in number") }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < end else { throw eof("expected a digit in number exponent") }
            guard isDigit(p[i]) else { throw unexpected(at: i, "expected a digit in number exponent") }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    @inline(__always)
    func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    // MARK: strings

    /// Parses a string token; `i` is at the opening quote. Strings without escapes are created
    /// directly from the input bytes; others are assembled in `scratch`.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = i
        i += 1
        let start = i
        while true {
            guard i < end else { throw unterminated(open) }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { return try parseEscapedString(open: open, start: start) }
            if c < 0x20 { throw controlCharacter(at: i) }
            if c < 0x80 { i += 1 } else { i += try utf8SequenceLength(at: i) }
        }
    }

    mutating func parseEscapedString(open: Int, start: Int) throws(JSONSyntaxError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        while true {
            // Copy a run of plain characters.
            let runStart = i
            while i < end {
                let c = p[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                if c < 0x80 { i += 1 } else { i += try utf8SequenceLength(at: i) }
            }
            if i > runStart { scratch.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart)) }
            guard i < end else { throw unterminated(open) }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c < 0x20 { throw controlCharacter(at: i) }
            // A backslash escape.
            let escape = i
            i += 1
            guard i < end else { throw unterminated(open) }
            switch p[i] {
            case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                i += 1
                let unit = try hex4(open: open)
                var scalar = unit
                if unit >= 0xD800 && unit <= 0xDBFF {
                    guard i + 1 < end, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                        throw error("lone surrogate \\u\(hex(unit)) in string: a high surrogate must be followed by a \\u low surrogate", at: escape)
                    }
                    i += 2
                    let low = try hex4(open: open)
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw error("lone surrogate \\u\(hex(unit)) in string: a high surrogate must be followed by a \\u low surrogate", at: escape)
                    }
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else if unit >= 0xDC00 && unit <= 0xDFFF {
                    throw error("lone surrogate \\u\(hex(unit)) in string: a low surrogate must follow a high surrogate", at: escape)
                }
                appendScalar(scalar)
                continue // `i` is already past the escape
            default:
                throw unexpected(at: i, "invalid escape sequence; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\'")
            }
            i += 1
        }
    }

    /// Reads exactly 4 hex digits at `i`.
    mutating func hex4(open: Int) throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < end else { throw unterminated(open) }
            let c = p[i]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw unexpected(at: i, "expected 4 hex digits after '\\u'")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    mutating func appendScalar(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Length of the well-formed UTF-8 sequence starting at `j` (whose first byte is >= 0x80),
    /// or an "invalid UTF-8" error at the first byte that makes it ill-formed (Unicode table 3-7);
    /// a sequence cut short by the end of input is reported at its first byte.
    func utf8SequenceLength(at j: Int) throws(JSONSyntaxError) -> Int {
        let b0 = p[j]
        let length: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; hi = 0x9F
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default:
            throw error("invalid UTF-8: byte 0x\(hex(UInt32(b0), width: 2)) cannot start a character", at: j)
        }
        for k in 1..<length {
            guard j + k < end else { throw error("invalid UTF-8: multi-byte sequence truncated by the end of input", at: j) }
            let b = p[j + k]
            guard b >= lo && b <= hi else {
                throw error("invalid UTF-8: unexpected byte 0x\(hex(UInt32(b), width: 2)) in a multi-byte sequence", at: j + k)
            }
            lo = 0x80
            hi = 0xBF
        }
        return length
    }

    // MARK: errors (cold paths)

    @inline(never)
    func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        var line = 1
        var lineStart = bodyStart
        var j = bodyStart
        while j < offset {
            if p[j] == 0x0A {
                line += 1
                lineStart = j + 1
            }
            j += 1
        }
        var column = 1
        j = lineStart
        while j < offset {
            if p[j] & 0xC0 != 0x80 { column += 1 }
            j += 1
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
        error("nesting too deep: more than \(maxDepth) levels of arrays/objects", at: i)
    }

    @inline(never)
    func controlCharacter(at j: Int) -> JSONSyntaxError {
        error("unescaped control character U+\(hex(UInt32(p[j]))) in string; control characters must be escaped", at: j)
    }

    /// "unexpected character …; <expectation>", or an invalid UTF-8 error if the byte at `j` does not
    /// begin a well-formed character.
    @inline(never)
    func unexpected(at j: Int, _ expectation: String) -> JSONSyntaxError {
        let c = p[j]
        let shown: String
        var hint = ""
        if c >= 0x80 {
            let length: Int
            do { length = try utf8SequenceLength(at: j) } catch { return error }
            let text = String(decoding: UnsafeBufferPointer(start: p + j, count: length), as: UTF8.self)
            let scalar = text.unicodeScalars.first!.value
            shown = "'\(text)' (U+\(hex(scalar)))"
        } else if c < 0x20 || c == 0x7F {
            shown = "U+\(hex(UInt32(c)))"
        } else {
            shown = "'\(Character(Unicode.Scalar(c)))'"
            switch c {
            case UInt8(ascii: "'"): hint = " (strings must use double quotes)"
            case UInt8(ascii: "/"), UInt8(ascii: "#"): hint = " (comments are not allowed in JSON)"
            case UInt8(ascii: "N"), UInt8(ascii: "I"): hint = " (NaN and Infinity are not valid JSON)"
            case UInt8(ascii: "+"): hint = " (numbers may not start with '+')"
            case UInt8(ascii: "."): hint = " (numbers need a digit before '.')"
            default: break
            }
        }
        return error("unexpected character \(shown); \(expectation)\(hint)", at: j)
    }

    func hex(_ v: UInt32, width: Int = 4) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
