import Foundation

/// How a stored value relates to a given one (docs/rules.md#when-two-values-are-the-same).
public enum MatchKind: String, Sendable, Codable, CaseIterable {
    /// Byte-identical.
    case exact
    /// Differs only in ASCII letter case: what `COLLATE NOCASE` folds.
    case `case`
    /// Near misses: equal only after trimming, removing invisibles, Unicode case folding or NFKC.
    case whitespace
    case unicodeCase = "unicode_case"
    case invisible
    case normalization
    /// A near miss equal only once look-alike characters of other scripts are replaced by the
    /// character they imitate (Unicode's confusables, UTS #39): a Cyrillic `а` for a Latin `a`.
    case confusable

    /// True for the kinds SQLite's NOCASE comparison already calls equal.
    public var isNocaseMatch: Bool { self == .exact || self == .case }

    /// A phrase for explanations: "differs only by surrounding white space".
    public var phrase: String {
        switch self {
        case .exact: return "is the same value, byte for byte"
        case .case: return "differs only in letter case"
        case .whitespace: return "differs only by white space at the start or end (a space, tab or no-break space)"
        case .unicodeCase: return "differs only in the case of a non-ASCII letter, which NOCASE does not fold"
        case .invisible: return "differs only by an invisible character (zero-width space or joiner, BOM, soft hyphen)"
        case .normalization: return "differs only in Unicode normalisation (composed vs decomposed or compatibility forms)"
        case .confusable: return "differs only by look-alike characters from another script (such as a Cyrillic а for a Latin a)"
        }
    }
}

/// The comparison rules, in one place for the loader (which stores the keys) and the evaluator.
public enum Matching {
    static let invisibles: Set<Unicode.Scalar> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}"]

    /// The stored near-miss key: invisibles removed, NFKC, Unicode lower case, trimmed, and the
    /// non-ASCII look-alikes replaced by what they imitate (`skeleton`).
    /// Two values with the same key are the same person's value written differently.
    public static func nearMissKey(_ value: String) -> String {
        var utf8 = value.utf8
        if let fast = asciiKey(&utf8) { return fast }
        return skeleton(folded(value))
    }

    /// The key before the look-alike step: invisibles removed, NFKC, Unicode lower case, trimmed.
    /// Values equal here but not under NOCASE are the older near-miss kinds; values equal only
    /// after `skeleton` are `confusable`.
    static func folded(_ value: String) -> String {
        let visible = String(String.UnicodeScalarView(value.unicodeScalars.filter { !invisibles.contains($0) }))
        return visible.precomposedStringWithCompatibilityMapping.lowercased()
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The UTS #39 skeleton of `text`'s non-ASCII characters: each one Unicode's confusables data
    /// lists is replaced by its prototype (Cyrillic `а` → `a`, Greek `ο` → `o`), in the canonical
    /// decomposition, then recomposed and lower-cased like the rest of the key.
    ///
    /// ASCII characters are never mapped, although UTS #39 maps a few (`1` → `l`, `0` → `O`,
    /// `m` → `rn`): an ASCII-only value keeps its key and costs nothing here, and `user1@x` and
    /// `userl@x` stay two different people's addresses rather than look-alikes.
    public static func skeleton(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var mapped = String.UnicodeScalarView()
        var changed = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if let prototype = prototype(of: scalar) {
                mapped.append(contentsOf: prototype)
                changed = true
            } else {
                mapped.append(scalar)
            }
        }
        // Unchanged text is returned as it came, already composed.
        return changed ? String(mapped).lowercased().precomposedStringWithCanonicalMapping : text
    }

    /// The characters of `value` that `skeleton` replaces, each with the text it imitates, in
    /// order: what an explanation names ("the value given has `а` (U+0430), which looks like `a`").
    public static func lookAlikes(in value: String) -> [(character: Unicode.Scalar, looksLike: String)] {
        value.decomposedStringWithCanonicalMapping.unicodeScalars.compactMap { scalar in
            guard let prototype = prototype(of: scalar) else { return nil }
            return (scalar, String(String.UnicodeScalarView(prototype)))
        }
    }

    /// What a non-ASCII `scalar` imitates, if Unicode lists it. The key is lower-cased before this
    /// step, and a few capitals imitate a letter while their small forms do not (Greek Ζ looks like
    /// Z, ζ like nothing): a small letter without a mapping takes its capital's, so `ΖOE@x` still
    /// finds `zoe@x`.
    static func prototype(of scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        guard !scalar.isASCII else { return nil }
        if let prototype = confusables[scalar.value] { return prototype }
        let capital = scalar.properties.uppercaseMapping.unicodeScalars
        guard capital.count == 1, let only = capital.first, only != scalar else { return nil }
        return confusables[only.value]
    }

    /// `ConfusableTable` parsed: source scalar to prototype. Built on the first non-ASCII value,
    /// so a run over ASCII data never pays for it.
    /// Parsed byte by byte: `split` and `UInt32(_:radix:)` over the 6,303 lines cost about ten
    /// milliseconds, paid by the first non-ASCII value of a `why` or a load.
    static let confusables: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        table.reserveCapacity(ConfusableTable.count)
        var points: [UInt32] = []
        var number: UInt32 = 0, digits = 0
        func endNumber() {
            if digits > 0 { points.append(number) }
            number = 0
            digits = 0
        }
        func endLine() {
            endNumber()
            if let source = points.first { table[source] = points.dropFirst().compactMap(Unicode.Scalar.init) }
            points.removeAll(keepingCapacity: true)
        }
        for byte in ConfusableTable.mappings.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): number = number << 4 | UInt32(byte - UInt8(ascii: "0")); digits += 1
            case UInt8(ascii: "A")...UInt8(ascii: "F"): number = number << 4 | UInt32(byte - UInt8(ascii: "A") + 10); digits += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"): number = number << 4 | UInt32(byte - UInt8(ascii: "a") + 10); digits += 1
            case UInt8(ascii: "\n"): endLine()
            default: endNumber()
            }
        }
        endLine()
        return table
    }()

    /// ASCII text without surrounding white space needs only lower-casing; most emails are.
    private static func asciiKey(_ utf8: inout String.UTF8View) -> String? {
        guard let first = utf8.first, let last = utf8.last, !isASCIISpace(first), !isASCIISpace(last) else {
            return utf8.isEmpty ? "" : nil
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count)
        for byte in utf8 {
            guard byte < 0x80 else { return nil }
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The near-miss key of the UTF-8 text `value`, written into `key` (emptied first), without
    /// making a `String` when the ASCII fast path applies: the bulk loader's hot path. The bytes
    /// are exactly those of `nearMissKey(String(decoding: value, as: UTF8.self))`.
    public static func nearMissKey(utf8 value: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        if asciiKey(value, into: &key) { return }
        key.removeAll(keepingCapacity: true)
        var slow = nearMissKey(String(decoding: value, as: UTF8.self))
        slow.withUTF8 { key.append(contentsOf: $0) }
    }

    /// `asciiKey` over bytes: true when it applied (empty text included), with the key in `key`.
    private static func asciiKey(_ value: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]) -> Bool {
        guard let base = value.baseAddress, value.count > 0 else { return true }
        let count = value.count
        if isASCIISpace(base[0]) || isASCIISpace(base[count - 1]) { return false }
        key.reserveCapacity(count)
        for index in 0..<count {
            let byte = base[index]
            guard byte < 0x80 else { return false }
            key.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
        }
        return true
    }

    /// The near-miss key a people's key column stores for `value`: nil (NULL) when `value` is
    /// empty or its key is just its ASCII-lower-cased form, which the lookup then finds through
    /// the column's `COLLATE NOCASE` index instead. Plain ASCII emails and phones store no key.
    public static func storedKey(_ value: String) -> String? {
        if value.isEmpty { return nil }
        let key = nearMissKey(value)
        return isASCIILowered(key.utf8, of: value.utf8) ? nil : key
    }

    /// `storedKey` over UTF-8 bytes, writing the key into `key`: false (store NULL) when the
    /// value is empty or its key is its ASCII-lower-cased form.
    public static func storedKey(utf8 value: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]) -> Bool {
        if value.isEmpty { return false }
        key.removeAll(keepingCapacity: true)
        if asciiKey(value, into: &key) { return false }
        key.removeAll(keepingCapacity: true)
        var slow = nearMissKey(String(decoding: value, as: UTF8.self))
        slow.withUTF8 { key.append(contentsOf: $0) }
        return !isASCIILowered(key, of: value)
    }

    /// Whether `key` is exactly `value` with its 26 ASCII capitals lower-cased.
    private static func isASCIILowered<K: Collection, V: Collection>(_ key: K, of value: V) -> Bool
        where K.Element == UInt8, V.Element == UInt8 {
        guard key.count == value.count else { return false }
        return zip(key, value).allSatisfy { k, v in k == (v &- 0x41 < 26 ? v | 0x20 : v) }
    }

    /// Public (and inlinable) for the store's pending indexes, which fold values as the lookups here do, per record.
    @inlinable public static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// SQLite's NOCASE: equal after folding the 26 ASCII letters.
    public static func nocaseEqual(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for index in 0..<x.count where x[index] != y[index] {
                    let folded = x[index] | 0x20
                    guard folded == y[index] | 0x20, folded &- 0x61 < 26 else { return false }
                }
                return true
            }
        }
    }

    /// Byte-for-byte equality, as SQLite's BINARY collation compares (Swift's `String ==` calls
    /// canonically equivalent text equal).
    public static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    /// The kind of match between a given and a stored value, or nil when they are different values.
    /// Empty values never match anything.
    public static func classify(given: String, stored: String) -> MatchKind? {
        guard !given.isEmpty, !stored.isEmpty else { return nil }
        if given.utf8.elementsEqual(stored.utf8) { return .exact }
        if nocaseEqual(given, stored) { return .case }
        guard nearMissKey(given) == nearMissKey(stored), !nearMissKey(given).isEmpty else { return nil }
        if folded(given) != folded(stored) { return .confusable }
        let trim: (String) -> String = { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if nocaseEqual(trim(given), trim(stored)) { return .whitespace }
        let strip: (String) -> String = { String(String.UnicodeScalarView($0.unicodeScalars.filter { !invisibles.contains($0) })) }
        if nocaseEqual(trim(strip(given)), trim(strip(stored))) { return .invisible }
        // Scalars, not `==`: String equality is canonical equivalence, which would call an NFC/NFD pair a case difference.
        if trim(strip(given)).lowercased().unicodeScalars.elementsEqual(trim(strip(stored)).lowercased().unicodeScalars) { return .unicodeCase }
        return .normalization
    }

    /// The value with invisible and surrounding white-space characters escaped, for human output:
    /// `fay\u{200B}@example.com` shows as `fay\u200B@example.com`.
    public static func visible(_ value: String) -> String {
        // Printable ASCII needs no escapes (reports call this on every reason they print).
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return value.utf8.first == 0x20 || value.utf8.last == 0x20 ? "\"\(value)\"" : value
        }
        var out = ""
        for scalar in value.unicodeScalars {
            let hidden = invisibles.contains(scalar) || scalar == "\u{00A0}" || scalar == "\u{202F}" || scalar == "\u{3000}"
                || (scalar.value < 0x20) || scalar == "\u{7F}"
            if hidden {
                out += String(format: "\\u%04X", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if out.hasPrefix(" ") || out.hasSuffix(" ") { out = "\"\(out)\"" }
        return out
    }

    /// Zoho's documented email shape, loosely: one `@`, a non-empty local part, a dotted domain,
    /// no ASCII space or control character. Non-ASCII look-alikes (a no-break space, a zero-width
    /// space) pass, because they are what makes a value a near miss rather than a rejected one;
    /// Zoho's own regex is not published in full, so the replica does not claim to copy it.
    public static func isValidEmail(_ value: String) -> Bool {
        var copy = value
        if let ascii = copy.withUTF8({ asciiEmailCheck($0) }) { return ascii }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !value.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }

    /// `isValidEmail` for ASCII text, over bytes (every ASCII byte is a whole character, so the
    /// `Character` rules read the same); nil for any other text, which takes the general path.
    private static func asciiEmailCheck(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var at = -1
        for (index, byte) in bytes.enumerated() {
            if byte >= 0x80 { return nil }
            if byte == UInt8(ascii: "@") {
                if at >= 0 { return false }   // a second `@`: three parts
                at = index
            }
        }
        guard at > 0 else { return false }   // no `@`, or an empty local part
        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        guard let first = domain.first, let last = domain.last, domain.contains(UInt8(ascii: ".")),
              first != UInt8(ascii: "."), last != UInt8(ascii: ".") else { return false }
        return !bytes.contains { $0 <= 0x20 || $0 == 0x7F }
    }
}
