import ArgumentParser
import Catalogue
import Engine
import Formats
import Foundation
import Storage

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show, set or reset the switches for what Zoho leaves undocumented.",
        discussion: """
            Without arguments, shows every setting; with KEY, shows one; with KEY VALUE, stores it; \
            --reset [KEY] forgets stored values so the defaults apply again. Values that differ from \
            the default are marked with *.
            """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Forget the stored value of KEY (or of every setting): the default applies again.")
    var reset = false
    @Argument(help: "A setting name.") var key: String?
    /// Captured this way so that a negative number (`batch_limit -5`) reaches the setting's own
    /// check, with its message, instead of being taken for an unknown option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The value to store.", valueName: "value"))
    var value: [String] = []

    func validate() throws {
        if value.count > 1 { throw ValidationError("settings takes one KEY and one VALUE; got \(value.joined(separator: " "))") }
        if reset, !value.isEmpty { throw ValidationError("--reset takes a KEY only, not a value") }
        do {
            if let key = try settingKey(), let value = value.first {
                var check = Settings()
                try check.set(key, value)
            }
        } catch { throw ValidationError(error.description) }
    }

    /// The KEY argument as a setting, checked against the settings there are.
    private func settingKey() throws(SettingsError) -> Settings.Key? {
        try key.map { name throws(SettingsError) in try Settings.Key.named(name) }
    }

    func run() throws {
        try runReporting {
            // Opened for writing even to show: a replica of an older schema is upgraded by any
            // writing command, and the upgrade message names this one.
            let db = try common.open(creating: !value.isEmpty)
            let key = try settingKey()
            if reset {
                try Settings.reset(db, key: key)
            } else if let key, let value = value.first {
                try Settings.store(db, key: key, value: value)
            }
            let settings = try Settings.load(db)
            let sources = try Settings.sources(db)
            let keys = key.map { [$0] } ?? Settings.Key.allCases
            if common.json {
                print(JSON.write(.object(settings.jsonObject(keys: keys))))
                return
            }
            for key in keys {
                let current = settings.value(key), standard = key.defaultValue
                let mark = current == standard ? " " : "*"
                let source: String
                switch sources[key] ?? .default {
                case .default: source = "default"
                case .storedByHand: source = current != standard ? "default \(standard)" : "stored, the default"
                case .calibrated: source = (sources[key] ?? .default).description + (current != standard ? "; default \(standard)" : "")
                }
                let valid = key.validValues.joined(separator: " | ")
                print("\(mark) \(key.rawValue.padded(24))\(current.padded(12))\(source.padded(22))(\(valid))")
            }
        }
    }
}
