import Catalogue
import Formats
import Persistence

/// The behaviours Zoho does not document, as named switches (docs/rules.md#settings). Every verdict
/// is computed under one `Settings` value, and explanations name it.
public struct Settings: Equatable, Sendable {
    public enum BatchVisibility: String, Sendable, CaseIterable { case sequential, snapshot }
    public enum MultiMatch: String, Sendable, CaseIterable { case error, oldest }
    public enum MatchMode: String, Sendable, CaseIterable { case nocase, unicode }
    public enum Rerelate: String, Sendable, CaseIterable { case update, skip }
    public enum MultipleErrors: String, Sendable, CaseIterable { case wrap, first }
    /// Whether a phone may hold letters (`+1 415 555 0100 ext 12`): Zoho's answers show letters
    /// refused in a standard Phone field, but an org's own phone fields may be looser.
    public enum PhoneLetters: String, Sendable, CaseIterable { case reject, allow }

    public var recycleBinCounts = false
    public var batchVisibility = BatchVisibility.sequential
    public var multiMatch = MultiMatch.error
    public var crossModuleOnUpsert = false
    public var match = MatchMode.nocase
    public var rerelate = Rerelate.update
    /// A record with several unique-field clashes: one `MULTIPLE_OR_MULTI_ERRORS` listing each
    /// (as Zoho's published example answers), or `DUPLICATE_DATA` for the first.
    public var multipleErrors = MultipleErrors.wrap
    public var phoneLetters = PhoneLetters.reject
    public var batchLimit = 100

    public init() {}

    /// A setting's name. The one place its spelling, its values and the kind of JSON it
    /// shows as are written: the rest of the code switches on the case, so a new setting
    /// cannot be known to one front end and missing from another. Declared in the order the
    /// settings are listed everywhere.
    public enum Key: String, Sendable, CaseIterable, Hashable {
        case recycleBinCounts = "recycle_bin_counts"
        case batchVisibility = "batch_visibility"
        case multiMatch = "multi_match"
        case crossModuleOnUpsert = "cross_module_on_upsert"
        case match
        case rerelate
        case multipleErrors = "multiple_errors"
        case phoneLetters = "phone_letters"
        case batchLimit = "batch_limit"

        /// The key named `name`, or `unknownKey`: the names come from users and the database.
        public static func named(_ name: String) throws(SettingsError) -> Key {
            guard let key = Key(rawValue: name) else { throw .unknownKey(name) }
            return key
        }

        /// The values the key accepts, for messages ("a whole number from 1" for batch_limit).
        public var validValues: [String] {
            switch self {
            case .recycleBinCounts, .crossModuleOnUpsert: return ["false", "true"]
            case .batchVisibility: return BatchVisibility.allCases.map(\.rawValue)
            case .multiMatch: return MultiMatch.allCases.map(\.rawValue)
            case .match: return MatchMode.allCases.map(\.rawValue)
            case .rerelate: return Rerelate.allCases.map(\.rawValue)
            case .multipleErrors: return MultipleErrors.allCases.map(\.rawValue)
            case .batchLimit: return ["a whole number from 1"]
            case .phoneLetters: return PhoneLetters.allCases.map(\.rawValue)
            }
        }

        /// The value when none is stored.
        public var defaultValue: String { Settings().value(self) }

        /// `value` as `--json` shows it: the switches as JSON booleans, batch_limit as a number.
        func json(_ value: String) -> JSONValue {
            switch self {
            case .recycleBinCounts, .crossModuleOnUpsert: return .bool(value == "true")
            case .batchLimit: return .number(value)
            case .batchVisibility, .multiMatch, .match, .rerelate, .multipleErrors, .phoneLetters: return .string(value)
            }
        }

        /// Whether the key has other values worth trying in "what would change" questions:
        /// batch_limit's are every number.
        var hasAlternatives: Bool { self != .batchLimit }
    }

    public func value(_ key: Key) -> String {
        switch key {
        case .recycleBinCounts: return String(recycleBinCounts)
        case .batchVisibility: return batchVisibility.rawValue
        case .multiMatch: return multiMatch.rawValue
        case .crossModuleOnUpsert: return String(crossModuleOnUpsert)
        case .match: return match.rawValue
        case .rerelate: return rerelate.rawValue
        case .multipleErrors: return multipleErrors.rawValue
        case .batchLimit: return String(batchLimit)
        case .phoneLetters: return phoneLetters.rawValue
        }
    }

    public mutating func set(_ key: Key, _ value: String) throws(SettingsError) {
        let invalid = SettingsError.invalidValue(key: key, value: value, valid: key.validValues)
        switch key {
        case .recycleBinCounts: recycleBinCounts = try Self.bool(value, invalid)
        case .crossModuleOnUpsert: crossModuleOnUpsert = try Self.bool(value, invalid)
        case .batchVisibility: batchVisibility = try Self.parse(value, invalid)
        case .multiMatch: multiMatch = try Self.parse(value, invalid)
        case .match: match = try Self.parse(value, invalid)
        case .rerelate: rerelate = try Self.parse(value, invalid)
        case .multipleErrors: multipleErrors = try Self.parse(value, invalid)
        case .batchLimit:
            guard let number = Int(value), number >= 1 else { throw invalid }
            batchLimit = number
        case .phoneLetters: phoneLetters = try Self.parse(value, invalid)
        }
    }

    /// Applies `KEY=VALUE` (the `--set` option).
    public mutating func apply(assignment: String) throws(SettingsError) {
        guard let equals = assignment.firstIndex(of: "=") else { throw .malformedAssignment(assignment) }
        try set(try Key.named(String(assignment[..<equals])), String(assignment[assignment.index(after: equals)...]))
    }

    private static func parse<T: RawRepresentable>(_ value: String, _ invalid: SettingsError) throws(SettingsError) -> T where T.RawValue == String {
        guard let parsed = T(rawValue: value) else { throw invalid }
        return parsed
    }

    private static func bool(_ value: String, _ invalid: SettingsError) throws(SettingsError) -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw invalid
        }
    }

    /// The other values of `key`, for "what would change" questions (batch_limit has none to try).
    public func alternatives(_ key: Key) -> [Settings] {
        guard key.hasAlternatives else { return [] }
        return key.validValues.filter { $0 != value(key) }.compactMap { other in
            var changed = self
            return (try? changed.set(key, other)) != nil ? changed : nil
        }
    }
}

public enum SettingsError: Error, CustomStringConvertible, Equatable {
    case unknownKey(String)
    case invalidValue(key: Settings.Key, value: String, valid: [String])
    case malformedAssignment(String)

    public var description: String {
        switch self {
        case .unknownKey(let key):
            return "unknown setting '\(key)'; the settings are: \(Settings.Key.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidValue(let key, let value, let valid):
            return "'\(value)' is not a value of \(key.rawValue); use one of: \(valid.joined(separator: ", "))"
        case .malformedAssignment(let text):
            return "'\(text)' is not KEY=VALUE; for example --set recycle_bin_counts=true"
        }
    }
}

extension Settings {
    /// The settings stored in the replica, defaults for keys never set.
    public static func load(_ db: Database) throws -> Settings {
        var settings = Settings()
        for (key, value) in try db.statement("SELECT key, value FROM settings").rows([], { ($0.text(0) ?? "", $0.text(1) ?? "") }) {
            try settings.set(try Key.named(key), value)
        }
        return settings
    }

    /// The keys whose value is stored in the replica (set by hand), as opposed to defaults.
    public static func storedKeys(_ db: Database) throws -> Set<Key> {
        Set(try db.statement("SELECT key FROM settings").rows([], { $0.text(0) ?? "" }).compactMap(Key.init(rawValue:)))
    }

    /// Forgets the stored value of `key`, or of every key, so the default applies again.
    public static func reset(_ db: Database, key: Key?) throws {
        try db.write {
            if let key {
                try db.run("DELETE FROM settings WHERE key = ?", [.text(key.rawValue)])
            } else {
                try db.run("DELETE FROM settings")
            }
            try forgetCalibration(db, key: key)
        }
    }

    /// Validates and stores one setting, by hand: a calibrated value it replaces stops being one.
    public static func store(_ db: Database, key: Key, value: String) throws {
        var check = Settings()
        try check.set(key, value)
        try db.write {
            try db.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       [.text(key.rawValue), .text(check.value(key))])
            try forgetCalibration(db, key: key)
        }
    }
}

extension Settings {
    /// The settings as the CLI contract shows them: booleans as JSON booleans, batch_limit a number.
    public func jsonObject(keys: [Key] = Key.allCases) -> JSONObject {
        var object: JSONObject = [:]
        for key in keys { object[key.rawValue] = key.json(value(key)) }
        return object
    }
}
