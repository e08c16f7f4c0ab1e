import Catalogue
import Engine
import Formats
import Replay
import Storage

/// Settings that cannot change any answer of an input, found from the input and the replica
/// without replaying: each halves the search, and the report says why it was not tested.
///
/// Why only these: each rule reads the one place the engine consults the setting, so "cannot
/// change" is certain. `match`, `multi_match` and `batch_visibility` depend on which records hold
/// which values, which only a replay finds.
enum InertSettings {
    static func find(in input: ReplayInput, store: RecordStore) throws -> [Settings.Key: String] {
        var inert: [Settings.Key: String] = [:]
        let routes = input.requests.map { $0.bulkWrite.map { Route.records($0.module, $0.operation, id: nil) } ?? Route.of($0.request) }
        let written = input.writtenModules

        if !routes.contains(where: { if case .related = $0 { true } else { false } }) {
            inert[.rerelate] = "the input makes no campaign membership call"
        }
        let leadsUpserts = input.requests.contains { request in
            if let chunk = request.bulkWrite { return chunk.module == .leads && chunk.operation == .upsert }
            if case .records(.leads, .upsert, _) = Route.of(request.request) { return true }
            return false
        }
        if !leadsUpserts {
            inert[.crossModuleOnUpsert] = "the input upserts no Leads"
        } else if try DuplicateCheckPreference.load(store.db, module: .leads)?.checksContacts != true {
            inert[.crossModuleOnUpsert] = "no Leads duplicate-check preference maps fields to Contacts"
        }
        let deletes = routes.contains { if case .delete = $0 { true } else if case .restore = $0 { true } else { false } }
        if !deletes, try written.allSatisfy({ try !store.binHoldsAny($0) }) {
            inert[.recycleBinCounts] = "the recycle bin holds no record of the modules the input writes, and the input deletes none"
        }
        if try written.allSatisfy({ try store.catalogue($0).uniqueFields.count < 2 }) {
            inert[.multipleErrors] = "no module the input writes has two unique fields"
        }
        if try !phoneLettersMatter(input, store: store) {
            inert[.phoneLetters] = "no phone value of the input holds a letter"
        }
        return inert
    }

    /// True when some value the input writes is judged differently with and without letters allowed.
    static func phoneLettersMatter(_ input: ReplayInput, store: RecordStore) throws -> Bool {
        for request in input.requests {
            let module: Module
            let records: [Record]
            if let chunk = request.bulkWrite {
                (module, records) = (chunk.module, chunk.records)
            } else if case .records(let written, let operation, let id) = Route.of(request.request),
                      let parsed = try? RecordsRequest.parse(request.request.body, module: written, operation: operation, pathID: id) {
                (module, records) = (written, parsed.records)
            } else {
                continue
            }
            let catalogue = try store.catalogue(module)
            for record in records {
                for (name, value) in record.fields {
                    guard let rule = catalogue.field(name).flatMap(FieldValueRule.init), rule.type == .phone else { continue }
                    if rule.problem(with: value, phoneLetters: false) != rule.problem(with: value, phoneLetters: true) { return true }
                }
            }
        }
        return false
    }
}
