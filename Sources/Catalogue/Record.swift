import Formats
import OrderedCollections

/// One CRM record: every field as it was loaded or sent, in its original order.
public struct Record: Equatable, Sendable {
    public var fields: JSONObject

    public init(fields: JSONObject = [:]) { self.fields = fields }

    public subscript(field: String) -> JSONValue? {
        get { fields[field] }
        set { fields[field] = newValue }
    }

    public var id: String? { fields["id"]?.stringValue }

    /// The field as text: a string, or a number's literal. Nil for null, absent, objects, arrays.
    public func text(_ field: String) -> String? { fields[field]?.stringValue }

    /// Text that takes part in a comparison: empty and null values never match anything.
    public func comparable(_ field: String) -> String? {
        guard let value = text(field), !value.isEmpty else { return nil }
        return value
    }

    /// The owner's name: `Owner.name` in API JSON, the plain `Contact Owner` cell in a UI export.
    public var ownerName: String? {
        if case .object(let owner)? = fields["Owner"] { return owner["name"]?.stringValue }
        return text("Owner")
    }

    public var ownerID: String? {
        if case .object(let owner)? = fields["Owner"] { return owner["id"]?.stringValue }
        return nil
    }

    /// `self`'s fields written over `base`: what an update stores (fields the input lacks stay).
    public func merged(over base: Record) -> Record {
        var result = base
        for (key, value) in fields { result.fields[key] = value }
        return result
    }

    public var json: String { JSON.write(.object(fields)) }
}

/// Zoho record ids: decimal digits that fit an Int64 (19 digits in today's orgs). Read from JSON
/// numbers or strings exactly, never through a Double.
public enum RecordID {
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count >= 10 && text.utf8.count <= 19 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && Int64(text) != nil
    }

    /// The id as exports and users write it: Zoho's digits, or the same digits behind the `zcrm_`
    /// prefix that UI exports are reported to write in `Record Id` (a user report, not Zoho
    /// documentation; the API and Bulk Read write the bare digits). Nil for anything else.
    public static func normalize(_ text: String) -> String? {
        if isValid(text) { return text }
        if text.hasPrefix("zcrm_") {
            let digits = String(text.dropFirst(5))
            return isValid(digits) ? digits : nil
        }
        return nil
    }

    /// The id an API body gives, as a string or a JSON number literal.
    public static func from(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?, .number(let text)?: return isValid(text) ? text : nil
        default: return nil
        }
    }
}
