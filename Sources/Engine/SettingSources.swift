import Foundation
import Persistence

/// Where a setting's value comes from, so that every verdict can say whether the settings it
/// rests on were decided by the org's own answers or are guesses (defaults).
public enum SettingSource: Equatable, Sendable {
    case `default`
    /// Stored with `crm-replica settings KEY VALUE`.
    case storedByHand
    /// Stored by `crm-replica calibrate --apply` as `value`, from the real answers in `inputs`, at `time`.
    case calibrated(value: String, inputs: [String], time: String)

    public var description: String {
        switch self {
        case .default: return "default"
        case .storedByHand: return "stored by hand"
        case .calibrated(_, let inputs, let time):
            let names = inputs.map { URL(fileURLWithPath: $0).lastPathComponent }
            return "calibrated from \(names.joined(separator: ", ")) on \(time.prefix(10))"
        }
    }
}

/// The `calibrated_settings` table: the value calibration stored for a setting, and from which
/// inputs. A row counts only while the setting still holds that value; `Settings.store` and
/// `Settings.reset` (by hand) delete it.
extension Settings {
    /// The source of every setting.
    public static func sources(_ db: Database) throws -> [Key: SettingSource] {
        let stored = try storedKeys(db)
        let settings = try load(db)
        var sources: [Key: SettingSource] = [:]
        for key in Key.allCases { sources[key] = stored.contains(key) ? .storedByHand : .default }
        let rows = try db.statement("SELECT key, value, sources, at FROM calibrated_settings").rows([]) {
            ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "[]", $0.text(3) ?? "")
        }
        for (name, value, inputs, time) in rows {
            guard let key = Key(rawValue: name), stored.contains(key), settings.value(key) == value else { continue }
            let paths = (try? JSONSerialization.jsonObject(with: Data(inputs.utf8)) as? [String]) ?? []
            sources[key] = .calibrated(value: value, inputs: paths, time: time)
        }
        return sources
    }

    /// Stores `value` for `key` as decided by calibration from `inputs`, inside the caller's
    /// transaction (the import log rows of the same inputs go with it).
    public static func storeCalibrated(_ db: Database, key: Key, value: String, inputs: [String], time: String) throws {
        var check = Settings()
        try check.set(key, value)
        let paths = String(decoding: try JSONSerialization.data(withJSONObject: inputs, options: [.withoutEscapingSlashes]), as: UTF8.self)
        try db.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   [.text(key.rawValue), .text(check.value(key))])
        try db.run("""
            INSERT INTO calibrated_settings (key, value, sources, at) VALUES (?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, sources = excluded.sources, at = excluded.at
            """, [.text(key.rawValue), .text(check.value(key)), .text(paths), .text(time)])
    }

    /// The sentence a verdict adds about the settings it rests on once some were calibrated:
    /// which of `settings` hold the value calibration stored, and from what; nil when none does.
    public static func calibrationNote(_ settings: Settings, sources: [Key: SettingSource]) -> String? {
        var calibrated: [Key] = []
        var from: SettingSource?
        for key in Key.allCases {
            guard case .calibrated(let value, _, _)? = sources[key], settings.value(key) == value else { continue }
            calibrated.append(key)
            from = from ?? sources[key]
        }
        guard let from, !calibrated.isEmpty else { return nil }
        return from.description.prefix(1).uppercased() + from.description.dropFirst() + ": " + calibrated.map(\.rawValue).joined(separator: ", ")
            + "; the other settings are defaults or set by hand, not tested against this org."
    }

    /// A value set by hand replaces a calibrated one.
    static func forgetCalibration(_ db: Database, key: Key?) throws {
        if let key {
            try db.run("DELETE FROM calibrated_settings WHERE key = ?", [.text(key.rawValue)])
        } else {
            try db.run("DELETE FROM calibrated_settings")
        }
    }
}
