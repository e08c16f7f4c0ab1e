import Catalogue
import Engine
import Formats
import Foundation
import Persistence
import Storage
import TestSupport

/// A replica in a temporary directory; `ScratchOrg` writes the records a test needs.
final class Org: ScratchOrg {
    /// A fixed clock, so Created_Time values are predictable.
    static let now = referenceDate

    func addCustomUniqueField(_ apiName: String, module: Module = .contacts) throws {
        let field = FieldDefinition(module: module, apiName: apiName, label: apiName, dataType: "text", isUnique: true, isCustom: true, source: .metadata)
        try FieldCatalogue.setUnique(db, module: module, field: field, unique: true)
        try store.reindexSideFields(module: module)
    }

    func session(_ assignments: String...) throws -> Session { try session(assignments, at: Org.now) }

    /// Runs one request and returns the outcomes.
    func run(_ operation: WriteOperation, _ records: [JSONObject], module: Module = .contacts, dcf: [String]? = nil,
             settings: String...) throws -> [Verdict] {
        let request = RecordsRequest(module: module, operation: operation, records: records.map { Record(fields: $0) }, duplicateCheckFields: dcf)
        return try session(settings, at: Org.now).run(request, depth: .full).verdicts
    }
}

func person(_ email: String?, last: String? = "New", phone: String? = nil, extra: JSONObject = [:]) -> JSONObject {
    var fields: JSONObject = [:]
    if let last { fields["Last_Name"] = .string(last) }
    if let email { fields["Email"] = .string(email) }
    if let phone { fields["Phone"] = .string(phone) }
    for (key, value) in extra { fields[key] = value }
    return fields
}
