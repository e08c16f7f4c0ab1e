import ArgumentParser
import Catalogue
import Formats
import Foundation
import Storage

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one stored record, live or in the recycle bin, with every field it holds.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "The record id: Zoho's digits, or zcrm_ and the digits as UI exports print them.")
    var id: String

    func run() throws {
        try runReporting {
            let db = try common.open(.readOnly)
            guard let stored = try RecordStore(db: db).find(id: RecordID.normalize(id) ?? id) else {
                throw ShowError.notFound(id: id, database: common.databasePath)
            }
            print(common.json ? JSON.write(Self.json(stored)) : Self.text(stored))
        }
    }

    /// `{"module","location","record":{…}}`, plus `deletion` for a recycle-bin row.
    static func json(_ stored: StoredRecord) -> JSONValue {
        var object: JSONObject = [
            "module": .string(stored.module.rawValue),
            "location": .string(stored.location.rawValue),
            "record": .object(stored.record.fields),
        ]
        if let deletion = stored.deletion {
            let text = { (value: String?) in value.map(JSONValue.string) ?? .null }
            object["deletion"] = .object([
                "type": .string(deletion.type), "deleted_time": text(deletion.time),
                "deleted_by": .object(["name": text(deletion.byName), "id": text(deletion.byID)]),
                "display_name": text(deletion.displayName),
                "created_by": .object(["name": text(deletion.createdByName), "id": text(deletion.createdByID)]),
                "fields_known": .bool(stored.fieldsKnown),
            ])
        }
        return .object(object)
    }

    /// `field: value` lines; invisible characters escaped so that a trailing no-break space or a
    /// zero-width space shows.
    static func text(_ stored: StoredRecord) -> String {
        let place = stored.location == .live ? "live" : "in the recycle bin"
        var lines = ["\(stored.module.rawValue) record \(stored.record.id ?? "?") (\(place))"]
        if let deletion = stored.deletion {
            lines.append("  deleted \(deletion.time ?? "at an unknown time") by \(deletion.byName ?? "unknown") (\(deletion.type))")
            if !stored.fieldsKnown { lines.append("  only the deleted-records list knows this record; its fields are unknown") }
        }
        let width = stored.record.fields.keys.map(\.count).max() ?? 0
        for (field, value) in stored.record.fields {
            let shown: String
            if case .string(let text) = value { shown = Matching.visible(text) } else { shown = JSON.write(value) }
            lines.append(Matching.visible(field).padding(toLength: width, withPad: " ", startingAt: 0) + ": " + shown)
        }
        return lines.joined(separator: "\n")
    }
}

enum ShowError: Error, CustomStringConvertible {
    case notFound(id: String, database: String)

    var description: String {
        switch self {
        case .notFound(let id, let database):
            return "no record with id \(id) in \(database) (looked in Contacts, Leads, Campaigns and the recycle bin); load the export that holds it"
        }
    }
}
