import Catalogue
import Formats
import Persistence
import Storage

/// Loads `GET /settings/modules` (or one page of it, or `GET /settings/modules/{api_name}`,
/// which has the same shape): each module's id, so that `duplicate_record.module` can carry it
/// as Zoho's response schema requires. Every listed module is kept, those whose records the
/// replica does not store too: they cost a row each, and a later version may store them.
struct ModuleMetadataLoader {
    let file: InputFile
    let document: JSONValue
    let store: RecordStore

    func load() throws -> Tally {
        let modules = try parse()
        var tally = Tally()
        for module in modules {
            switch try ModuleIDs.store(store.db, apiName: module.apiName, id: module.id) {
            case .inserted: tally.count(item: .inserted)
            case .updated: tally.count(item: .updated)
            case .unchanged: tally.count(item: .unchanged)
            }
        }
        return tally
    }

    /// Parsed whole before anything is stored, so that a bad entry anywhere loads nothing
    /// (the load's transaction would undo it anyway; this keeps the error first).
    private func parse() throws -> [(apiName: String, id: String?)] {
        let reader = JSONReader(path: file.path)
        let root = JSONPath()
        let modulesPath = root.key("modules")
        let items = try reader.array(try reader.object(document, at: root)["modules"], at: modulesPath)
        return try reader.namedObjects(items, at: modulesPath, what: "the module").map { module, apiName, path in
            // Zoho's schema lets a module's id be null; a present one is an id like a record's.
            (apiName, try module["id"].flatMap { $0 == .null ? nil : try reader.recordID($0, at: path.key("id")) })
        }
    }
}
