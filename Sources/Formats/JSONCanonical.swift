// JSONCanonical.swift — the compact text `JSON.write` gives a parsed document, written straight
// from the document's bytes, with no `JSONValue` in between.

/// Writes, in one pass over the bytes, exactly what `JSON.write(JSON.parse(bytes))` writes, and
/// reports the members of the object it is asked for, so that a loader finds a record's id and
/// key fields without building the record.
///
/// Why: a bulk load of API pages or NDJSON spent most of its parse thread making a `String` per
/// key and value and an `OrderedDictionary` per object, only to write them back as text for the
/// `data` column. This writes that text while it checks the grammar, into the caller's buffer.
///
/// It takes only what it can prove gives the parser's result, and answers nil (false) for
/// anything else, leaving the caller to take the parser's path, which gives the same result or
/// the exact error: invalid JSON, an object with two keys of equal hash (duplicate keys: the
/// parser keeps the last value at the first position), a key with an escape or a non-ASCII byte
/// (the parser merges keys equal as Swift strings, `"K"` and `"\u212A"`), nesting deeper than
/// `maxDepth`, a byte order mark.
public struct JSONCanonicalScanner {
    /// A member value's text, as `JSONValue.stringValue` gives it.
    public enum Text: Equatable, Sendable {
        /// In the output: a string's content (it had no escape, so it is written as it reads) or
        /// a number's literal.
        case range(Range<Int>)
        /// A string with escapes: its text is not the bytes written for it.
        case escaped
        /// null, true, false, an array or an object.
        case none
    }

    /// A member of the object `object(into:members:quotingNumberOf:)` wrote.
    public struct Member: Sendable {
        /// The key's bytes in the output (inside its quotes).
        public var key: Range<Int>
        public var text: Text
    }

    /// Deeper documents go to the parser (whose own limit is 256): this scanner recurses.
    public static let maxDepth = 64

    private var base: UnsafePointer<UInt8>?
    private var end = 0
    /// The next byte to read.
    public private(set) var position = 0
    /// A string with escapes, decoded.
    private var decoded: [UInt8] = []
    /// The key hashes of the objects being written, innermost last.
    private var hashes: [UInt64] = []
    /// The last outermost object's key hashes, known to be distinct: records of one file share
    /// their keys, so most are checked with one comparison.
    private var lastHashes: [UInt64] = []
    private var sortScratch: [UInt64] = []

    public init() {}

    /// Starts on `bytes`, which must stay valid until the next `begin`.
    public mutating func begin(_ bytes: UnsafeBufferPointer<UInt8>) {
        base = bytes.baseAddress
        end = base == nil ? 0 : bytes.count
        position = 0
    }

    /// The next byte that is not white space, not consumed; nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? base![position] : nil
    }

    /// Consumes `byte` when it is the next one after white space.
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Whether only white space is left.
    public mutating func isAtEnd() -> Bool { peek() == nil }

    /// Reads a key and its `:`, without writing it: the key's bytes (valid until the next
    /// `begin`), or nil where `object` would decline it.
    public mutating func key() -> UnsafeBufferPointer<UInt8>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        guard plainKey() != nil else { return nil }
        let count = position - 1 - start
        guard consume(UInt8(ascii: ":")) else { return nil }
        return UnsafeBufferPointer(start: base! + start, count: count)
    }

    /// Writes the object that is next (after white space) into `out`, and its members, in order,
    /// into `members` (emptied first). The value of the member whose key is `quoted`, when it is a
    /// number, is written as a string of its literal (a record id read from a JSON number).
    public mutating func object(into out: inout [UInt8], members: inout [Member], quotingNumberOf quoted: StaticString? = nil) -> Bool {
        members.removeAll(keepingCapacity: true)
        guard peek() == UInt8(ascii: "{") else { return false }
        return object(into: &out, depth: 1, members: &members, report: true, quoted: quoted)
    }

    /// Writes the value that is next (after white space) into `out`.
    public mutating func value(into out: inout [UInt8]) -> Bool {
        var none: [Member] = []
        return value(into: &out, depth: 1, members: &none, quoteNumber: false) != nil
    }

    // MARK: values

    private mutating func value(into out: inout [UInt8], depth: Int, members: inout [Member], quoteNumber: Bool) -> Text? {
        guard let byte = peek() else { return nil }
        switch byte {
        case UInt8(ascii: "{"):
            return object(into: &out, depth: depth + 1, members: &members, report: false, quoted: nil) ? Text.none : nil
        case UInt8(ascii: "["): return array(into: &out, depth: depth + 1, members: &members) ? Text.none : nil
        case UInt8(ascii: "\""): return string(into: &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number(into: &out, quoted: quoteNumber)
        case UInt8(ascii: "t"): return literal("true", into: &out) ? Text.none : nil
        case UInt8(ascii: "f"): return literal("false", into: &out) ? Text.none : nil
        case UInt8(ascii: "n"): return literal("null", into: &out) ? Text.none : nil
        default: return nil
        }
    }

    /// `{` is next. `members` is filled only when `report` (the outermost object asked for).
    private mutating func object(into out: inout [UInt8], depth: Int, members: inout [Member], report: Bool,
                                 quoted: StaticString?) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        position += 1
        out.append(UInt8(ascii: "{"))
        let first = hashes.count
        defer { hashes.removeSubrange(first...) }
        if consume(UInt8(ascii: "}")) {
            out.append(UInt8(ascii: "}"))
            return true
        }
        while true {
            guard consume(UInt8(ascii: "\"")) else { return false }
            let keyStart = position
            guard let hash = plainKey() else { return false }
            let keyCount = position - 1 - keyStart
            out.append(UInt8(ascii: "\""))
            let keyRange = out.count..<out.count + keyCount
            out.append(contentsOf: UnsafeBufferPointer(start: base! + keyStart, count: keyCount))
            out.append(UInt8(ascii: "\""))
            guard consume(UInt8(ascii: ":")) else { return false }
            out.append(UInt8(ascii: ":"))
            hashes.append(hash)
            let quote = report && quoted.map { Self.equal(keyRange, in: out, $0) } == true
            guard let text = value(into: &out, depth: depth, members: &members, quoteNumber: quote) else { return false }
            if report { members.append(Member(key: keyRange, text: text)) }
            if consume(UInt8(ascii: ",")) {
                out.append(UInt8(ascii: ","))
                continue
            }
            guard consume(UInt8(ascii: "}")) else { return false }
            out.append(UInt8(ascii: "}"))
            return distinct(from: first, outermost: report)
        }
    }

    /// `[` is next.
    private mutating func array(into out: inout [UInt8], depth: Int, members: inout [Member]) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        position += 1
        out.append(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) {
            out.append(UInt8(ascii: "]"))
            return true
        }
        while true {
            guard value(into: &out, depth: depth, members: &members, quoteNumber: false) != nil else { return false }
            if consume(UInt8(ascii: ",")) {
                out.append(UInt8(ascii: ","))
                continue
            }
            guard consume(UInt8(ascii: "]")) else { return false }
            out.append(UInt8(ascii: "]"))
            return true
        }
    }

    /// Whether the keys hashed from `first` on differ: distinct hashes mean distinct keys, and
    /// equal ones (a duplicate key, or a collision) decline.
    private mutating func distinct(from first: Int, outermost: Bool) -> Bool {
        let count = hashes.count - first
        if count <= 12 {
            for i in first..<hashes.count {
                for j in (i + 1)..<hashes.count where hashes[i] == hashes[j] { return false }
            }
            return true
        }
        if outermost && lastHashes.elementsEqual(hashes[first...]) { return true }
        sortScratch.removeAll(keepingCapacity: true)
        sortScratch.append(contentsOf: hashes[first...])
        sortScratch.sort()
        for i in 1..<sortScratch.count where sortScratch[i] == sortScratch[i - 1] { return false }
        if outermost {
            lastHashes.removeAll(keepingCapacity: true)
            lastHashes.append(contentsOf: hashes[first...])
        }
        return true
    }

    // MARK: tokens

    /// A key after its opening quote: printable ASCII with no escape, up to the closing quote
    /// (consumed). Its FNV-1a hash, or nil.
    private mutating func plainKey() -> UInt64? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        while position < end {
            let byte = base![position]
            position += 1
            if byte == UInt8(ascii: "\"") { return hash }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return nil
    }

    /// `"` is next. Written as the parser's `String` is by `JSON.write`: as read when it has no
    /// escape, else decoded and escaped again by `JSON.appendString`.
    private mutating func string(into out: inout [UInt8]) -> Text? {
        let start = position + 1
        position = start
        while position < end {
            let byte = base![position]
            if byte == UInt8(ascii: "\"") {
                out.append(UInt8(ascii: "\""))
                let text = out.count..<out.count + (position - start)
                out.append(contentsOf: UnsafeBufferPointer(start: base! + start, count: position - start))
                out.append(UInt8(ascii: "\""))
                position += 1
                return .range(text)
            }
            if byte == UInt8(ascii: "\\") { return escapedString(from: start, into: &out) ? .escaped : nil }
            guard byte >= 0x20 else { return nil }
            if byte < 0x80 {
                position += 1
            } else {
                guard case .success(let length) = UTF8Sequence.length(base!, at: position, end: end) else { return nil }
                position += length
            }
        }
        return nil
    }

    /// The rest of a string from its first backslash, decoded as the parser decodes it.
    private mutating func escapedString(from start: Int, into out: inout [UInt8]) -> Bool {
        decoded.removeAll(keepingCapacity: true)
        decoded.append(contentsOf: UnsafeBufferPointer(start: base! + start, count: position - start))
        while position < end {
            let byte = base![position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                decoded.withUnsafeBufferPointer { JSON.appendString($0, to: &out) }
                return true
            }
            guard byte >= 0x20 else { return false }
            if byte >= 0x80 {
                guard case .success(let length) = UTF8Sequence.length(base!, at: position, end: end) else { return false }
                decoded.append(contentsOf: UnsafeBufferPointer(start: base! + position, count: length))
                position += length
                continue
            }
            position += 1
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                continue
            }
            guard position < end else { return false }
            let escape = base![position]
            position += 1
            if let byte = JSONEscape.byte(standingFor: escape) {
                decoded.append(byte)
                continue
            }
            switch escape {
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return false }
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard position + 1 < end, base![position] == UInt8(ascii: "\\"), base![position + 1] == UInt8(ascii: "u") else { return false }
                    position += 2
                    guard let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    return false
                }
                UTF8Sequence.append(scalar, to: &decoded)
            default:
                return false
            }
        }
        return false
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= end else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = JSONEscape.hexValue(base![position]) else { return nil }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// number = [ minus ] int [ frac ] [ exp ], written as its literal (in quotes when `quoted`).
    private mutating func number(into out: inout [UInt8], quoted: Bool) -> Text? {
        let start = position
        if base![position] == UInt8(ascii: "-") { position += 1 }
        guard position < end, isDigit(base![position]) else { return nil }
        if base![position] == UInt8(ascii: "0") {
            position += 1
            if position < end && isDigit(base![position]) { return nil }
        } else {
            skipDigits()
        }
        if position < end && base![position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(base![position]) else { return nil }
            skipDigits()
        }
        if position < end && (base![position] == UInt8(ascii: "e") || base![position] == UInt8(ascii: "E")) {
            position += 1
            if position < end && (base![position] == UInt8(ascii: "+") || base![position] == UInt8(ascii: "-")) { position += 1 }
            guard position < end, isDigit(base![position]) else { return nil }
            skipDigits()
        }
        if quoted { out.append(UInt8(ascii: "\"")) }
        let text = out.count..<out.count + (position - start)
        out.append(contentsOf: UnsafeBufferPointer(start: base! + start, count: position - start))
        if quoted { out.append(UInt8(ascii: "\"")) }
        return .range(text)
    }

    private mutating func literal(_ word: StaticString, into out: inout [UInt8]) -> Bool {
        let length = word.utf8CodeUnitCount
        guard position + length <= end, UnsafeBufferPointer(start: base! + position, count: length).elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)) else { return false }
        position += length
        out.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: length))
        return true
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < end {
            let byte = base![position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    @inline(__always)
    private mutating func skipDigits() {
        while position < end && isDigit(base![position]) { position += 1 }
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private static func equal(_ range: Range<Int>, in out: [UInt8], _ word: StaticString) -> Bool {
        range.count == word.utf8CodeUnitCount && out[range].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }
}
