import ArgumentParser
import Catalogue
import Engine
import Foundation

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or set the switches for what Zoho leaves undocumented.",
        discussion: "Without arguments, shows every setting; with KEY, shows one; with KEY VALUE, stores it.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "A setting name.") var key: String?
    @Argument(help: "The value to store.") var value: String?

    func run() throws {
        try runReporting {
            if let key, let value {
                let db = try common.open()
                try Settings.store(db, key: key, value: value)
            }
            let settings = try Settings.load(try common.open())
            if let key, Settings.validValues(key) == nil { throw SettingsError.unknownKey(key) }
            let keys = key.map { [$0] } ?? Settings.keys
            if common.json {
                print(JSON.write(.object(settings.jsonObject(keys: keys))))
            } else {
                for key in keys {
                    let valid = Settings.validValues(key)?.joined(separator: " | ") ?? ""
                    print("\(key.padding(toLength: 24, withPad: " ", startingAt: 0)) \((settings.value(key) ?? "").padding(toLength: 12, withPad: " ", startingAt: 0)) (\(valid))")
                }
            }
        }
    }
}
