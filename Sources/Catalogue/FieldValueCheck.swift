import Formats

/// The data types whose values Zoho checks before writing a record, spelled as `settings/fields`
/// gives them in `data_type` and as INVALID_DATA names them in `expected_data_type`. Types not
/// listed here (picklists, formulas, files…) are written as sent: the replica has no rule to
/// check them by.
public enum FieldValueType: String, Sendable, Equatable {
    case email, phone, integer, bigint, double, decimal, currency, percent, date, datetime, boolean
    case text, textarea, website, lookup, ownerlookup

    /// Zoho gives `maximum_length: 9` with every integer it refuses, whatever the value was.
    public static let integerDigits = 9
    /// A long integer holds at most 18 digits.
    public static let bigintDigits = 18
}

/// What is wrong with a value: it is not of its field's type, or it is text longer than the field.
public enum ValueProblem: Equatable, Sendable {
    case notOfType
    case tooLong(length: Int, maximum: Int)
}

/// How one field's values are checked: its type, and the `length` the metadata gave it.
public struct FieldValueRule: Sendable, Equatable {
    public let type: FieldValueType
    /// Enforced on text and textarea only: Zoho reports `length` for every field, but only text
    /// has a length a user can exceed without breaking the type's own form.
    public let length: Int?

    public init(type: FieldValueType, length: Int?) {
        self.type = type
        self.length = length
    }

    /// The rule of a field, or nil when its type is not one the replica checks.
    public init?(_ field: FieldDefinition) {
        guard let type = FieldValueType(rawValue: field.dataType) else { return nil }
        self.init(type: type, length: field.length)
    }

    /// `maximum_length` of the INVALID_DATA answer, where Zoho gives one.
    public func maximumLength(for problem: ValueProblem) -> Int? {
        if case .tooLong(_, let maximum) = problem { return maximum }
        return type == .integer ? FieldValueType.integerDigits : nil
    }

    /// Why Zoho would refuse `value` in this field, or nil when it takes it. Null and empty text
    /// clear a field and are never refused. `phoneLetters`: whether a phone may hold letters
    /// (`ext 12`), the `phone_letters` setting. Runs for every field of every record a replay
    /// writes, so it reads bytes and allocates nothing.
    public func problem(with value: JSONValue, phoneLetters: Bool) -> ValueProblem? {
        switch value {
        case .null: return nil
        case .string(let text) where text.isEmpty: return nil
        case .string(let text): return problem(text: text, isNumber: false, phoneLetters: phoneLetters)
        case .number(let literal): return problem(text: literal, isNumber: true, phoneLetters: phoneLetters)
        case .bool: return type == .boolean ? nil : .notOfType
        case .object(let members):
            guard type == .lookup || type == .ownerlookup, let id = members["id"] else { return .notOfType }
            return Self.isRecordID(id) ? nil : .notOfType
        case .array: return .notOfType
        }
    }

    /// A string, or a number's literal (`isNumber`): which the type accepts, and in what form.
    private func problem(text: String, isNumber: Bool, phoneLetters: Bool) -> ValueProblem? {
        let valid: Bool
        switch type {
        case .email: valid = Matching.isValidEmail(text)
        case .phone: valid = Self.isPhone(text, letters: phoneLetters)
        case .integer: valid = Self.isWholeNumber(text, maxDigits: FieldValueType.integerDigits)
        case .bigint: valid = Self.isWholeNumber(text, maxDigits: FieldValueType.bigintDigits)
        case .double, .decimal, .currency, .percent: valid = isNumber || Self.isDecimal(text)
        case .date: valid = !isNumber && Self.isDate(Substring(text))
        case .datetime: valid = !isNumber && Self.isDateTime(Substring(text))
        case .boolean: valid = false
        case .website: valid = !isNumber && Self.isWebsite(text)
        case .lookup, .ownerlookup: valid = Self.isDigits(text.utf8)
        case .text, .textarea:
            // UTF-8 bytes are never fewer than UTF-16 units, so most values skip the count.
            guard let length, text.utf8.count > length, text.utf16.count > length else { return nil }
            return .tooLong(length: text.utf16.count, maximum: length)
        }
        return valid ? nil : .notOfType
    }

    // MARK: The forms, over bytes

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    static func isDigits<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var any = false
        for byte in bytes {
            guard isDigit(byte) else { return false }
            any = true
        }
        return any
    }

    static func isRecordID(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text), .number(let text): return isDigits(text.utf8)
        default: return false
        }
    }

    /// Digits with the usual separators (space, `-`, `.`, brackets around digits) and one leading
    /// `+`. `() Not provided.` is refused twice over: letters, and brackets with no digit inside.
    static func isPhone(_ text: String, letters: Bool) -> Bool {
        var digits = 0
        var openBracket = false
        var digitsInBracket = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case 0x30...0x39:
                digits += 1
                digitsInBracket += 1
            case UInt8(ascii: "+"):
                guard index == 0 else { return false }
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."):
                continue
            case UInt8(ascii: "("):
                guard !openBracket else { return false }
                openBracket = true
                digitsInBracket = 0
            case UInt8(ascii: ")"):
                guard openBracket, digitsInBracket > 0 else { return false }
                openBracket = false
            default:
                guard letters, isLetter(byte) else { return false }
            }
        }
        return digits > 0 && !openBracket
    }

    /// An optional sign and 1 to `maxDigits` digits.
    static func isWholeNumber(_ text: String, maxDigits: Int) -> Bool {
        var bytes = Substring(text).utf8
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        return bytes.count <= maxDigits && isDigits(bytes)
    }

    /// An optional sign, digits, and at most one decimal point: `1234.50`, `-0.5`, `.5`.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0
        var points = 0
        for byte in bytes {
            if isDigit(byte) { digits += 1 } else if byte == UInt8(ascii: ".") { points += 1 } else { return false }
        }
        return digits > 0 && points <= 1
    }

    /// `yyyy-MM-dd`, a day that exists.
    static func isDate(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard matches(bytes, "9999-99-99") else { return false }
        let year = value(bytes, at: 0, 4), month = value(bytes, at: 5, 2), day = value(bytes, at: 8, 2)
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = month == 2 ? (leap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31)
        return day <= days
    }

    /// `yyyy-MM-ddTHH:mm:ss±HH:mm`: a numeric offset, no `Z`, no fraction of a second (what
    /// JavaScript's `toISOString()` gives is refused).
    static func isDateTime(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard matches(bytes, "9999-99-99T99:99:99~99:99"), isDate(text.prefix(10)) else { return false }
        return value(bytes, at: 11, 2) < 24 && value(bytes, at: 14, 2) < 60 && value(bytes, at: 17, 2) < 60
            && value(bytes, at: 20, 2) <= 14 && value(bytes, at: 23, 2) < 60
    }

    /// Whether `bytes` has the shape of `pattern`: `9` a digit, `~` a sign, anything else itself.
    private static func matches(_ bytes: Substring.UTF8View, _ pattern: StaticString) -> Bool {
        guard bytes.count == pattern.utf8CodeUnitCount else { return false }
        return pattern.withUTF8Buffer { shape in
            for (offset, byte) in bytes.enumerated() {
                switch shape[offset] {
                case UInt8(ascii: "9"): if !isDigit(byte) { return false }
                case UInt8(ascii: "~"): if byte != UInt8(ascii: "+") && byte != UInt8(ascii: "-") { return false }
                case let literal: if byte != literal { return false }
                }
            }
            return true
        }
    }

    /// The number written by the `count` digits at `offset` (already matched as digits).
    private static func value(_ bytes: Substring.UTF8View, at offset: Int, _ count: Int) -> Int {
        var result = 0
        var index = bytes.index(bytes.startIndex, offsetBy: offset)
        for _ in 0..<count {
            result = result * 10 + Int(bytes[index] - 0x30)
            index = bytes.index(after: index)
        }
        return result
    }

    /// An address a browser would open: an optional `http://` or `https://`, a host of at least
    /// two dot-separated labels, then an optional port and path; no white space anywhere.
    static func isWebsite(_ text: String) -> Bool {
        var rest = Substring(text)
        if let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")), rest[..<colon].lowercased() == "https" || rest[..<colon].lowercased() == "http",
           rest[colon...].hasPrefix("://") {
            rest = rest[colon...].dropFirst(3)
        }
        var labels = 0
        var labelLength = 0
        for byte in rest.utf8 {
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "?") { break }
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0 else { return false }
                labels += 1
                labelLength = 0
            } else if isDigit(byte) || isLetter(byte) || byte == UInt8(ascii: "-") || byte >= 0x80 {
                labelLength += 1
            } else {
                return false
            }
        }
        guard labels >= 1, labelLength > 0 else { return false }
        return !rest.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }
}
