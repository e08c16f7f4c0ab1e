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

    public var recycleBinCounts = false
    public var batchVisibility = BatchVisibility.sequential
    public var multiMatch = MultiMatch.error
    public var crossModuleOnUpsert = false
    public var match = MatchMode.nocase
    public var rerelate = Rerelate.update
    public var batchLimit = 100

    public init() {}

    /// The keys in the order the spec lists them.
    public static let keys = ["recycle_bin_counts", "batch_visibility", "multi_match", "cross_module_on_upsert",
                              "match", "rerelate", "batch_limit"]

    /// The values a key accepts, for messages ("any number" for batch_limit).
    public static func validValues(_ key: String) -> [String]? {
        switch key {
        case "recycle_bin_counts", "cross_module_on_upsert": return ["false", "true"]
        case "batch_visibility": return BatchVisibility.allCases.map(\.rawValue)
        case "multi_match": return MultiMatch.allCases.map(\.rawValue)
        case "match": return MatchMode.allCases.map(\.rawValue)
        case "rerelate": return Rerelate.allCases.map(\.rawValue)
        case "batch_limit": return ["a whole number from 1"]
        default: return nil
        }
    }

    public func value(_ key: String) -> String? {
        switch key {
        case "recycle_bin_counts": return String(recycleBinCounts)
        case "batch_visibility": return batchVisibility.rawValue
        case "multi_match": return multiMatch.rawValue
        case "cross_module_on_upsert": return String(crossModuleOnUpsert)
        case "match": return match.rawValue
        case "rerelate": return rerelate.rawValue
        case "batch_limit": return String(batchLimit)
        default: return nil
        }
    }

    public mutating func set(_ key: String, _ value: String) throws(SettingsError) {
        guard let valid = Self.validValues(key) else { throw .unknownKey(key) }
        let invalid = SettingsError.invalidValue(key: key, value: value, valid: valid)
        switch key {
        case "recycle_bin_counts": recycleBinCounts = try Self.bool(value, invalid)
        case "cross_module_on_upsert": crossModuleOnUpsert = try Self.bool(value, invalid)
        case "batch_visibility": batchVisibility = try Self.parse(value, invalid)
        case "multi_match": multiMatch = try Self.parse(value, invalid)
        case "match": match = try Self.parse(value, invalid)
        case "rerelate": rerelate = try Self.parse(value, invalid)
        default:
            guard let number = Int(value), number >= 1 else { throw invalid }
            batchLimit = number
        }
    }

    /// Applies `KEY=VALUE` (the `--set` option).
    public mutating func apply(assignment: String) throws(SettingsError) {
        guard let equals = assignment.firstIndex(of: "=") else { throw .malformedAssignment(assignment) }
        try set(String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
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
    public func alternatives(_ key: String) -> [Settings] {
        guard let valid = Self.validValues(key), key != "batch_limit" else { return [] }
        return valid.filter { $0 != value(key) }.compactMap { other in
            var changed = self
            return (try? changed.set(key, other)) != nil ? changed : nil
        }
    }
}

public enum SettingsError: Error, CustomStringConvertible, Equatable {
    case unknownKey(String)
    case invalidValue(key: String, value: String, valid: [String])
    case malformedAssignment(String)

    public var description: String {
        switch self {
        case .unknownKey(let key):
            return "unknown setting '\(key)'; the settings are: \(Settings.keys.joined(separator: ", "))"
        case .invalidValue(let key, let value, let valid):
            return "'\(value)' is not a value of \(key); use one of: \(valid.joined(separator: ", "))"
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
            try settings.set(key, value)
        }
        return settings
    }

    /// The keys whose value is stored in the replica (set by hand), as opposed to defaults.
    public static func storedKeys(_ db: Database) throws -> Set<String> {
        Set(try db.statement("SELECT key FROM settings").rows([], { $0.text(0) ?? "" }))
    }

    /// Forgets the stored value of `key`, or of every key, so the default applies again.
    public static func reset(_ db: Database, key: String?) throws {
        if let key, validValues(key) == nil { throw SettingsError.unknownKey(key) }
        try db.write {
            if let key {
                try db.run("DELETE FROM settings WHERE key = ?", [.text(key)])
            } else {
                try db.run("DELETE FROM settings")
            }
        }
    }

    /// Validates and stores one setting.
    public static func store(_ db: Database, key: String, value: String) throws {
        var check = Settings()
        try check.set(key, value)
        try db.write {
            try db.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       [.text(key), .text(check.value(key) ?? value)])
        }
    }
}

extension Settings {
    /// The settings as the CLI contract shows them: booleans as JSON booleans, batch_limit a number.
    public func jsonObject(keys: [String] = Settings.keys) -> JSONObject {
        var object: JSONObject = [:]
        for key in keys {
            guard let value = value(key) else { continue }
            switch key {
            case "recycle_bin_counts", "cross_module_on_upsert": object[key] = .bool(value == "true")
            case "batch_limit": object[key] = .number(value)
            default: object[key] = .string(value)
            }
        }
        return object
    }
}
