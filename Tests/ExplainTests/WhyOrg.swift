import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Persistence
import TestSupport

/// A small org in a temporary SQLite file (`ScratchOrg` writes it the way `load` does), and the
/// `why` questions a test asks of it.
final class WhyOrg: ScratchOrg {
    /// The reference date for the recycle bin's purge window.
    static let asOf = referenceDate

    @discardableResult
    func person(_ id: String, email: String?, phone: String? = nil, secondary: String? = nil, module: Module = .contacts,
                created: String = "2025-01-01T00:00:00+00:00") throws -> String {
        try contact(id, email: email, phone: phone, created: created, module: module,
                    extra: secondary.map { ["Secondary_Email": .string($0)] })
    }

    func ask(_ value: String, module: Module = .contacts, operation: WriteOperation = .upsert, field: String = "Email",
             dcf: [String]? = nil, batch: [JSONObject]? = nil, row: Int = 0, showSQL: Bool = false,
             settings assignments: String...) throws -> WhyReport {
        let settings = try Settings(assignments: assignments)
        let batchRow = batch.map { BatchRow(source: "batch.json", records: $0.map { Record(fields: $0) }, duplicateCheckFields: dcf, row: row) }
        let question = WhyQuestion(value: value, module: module, operation: operation, field: field,
                                   duplicateCheckFields: batch == nil ? dcf : nil, batch: batchRow, settings: settings,
                                   asOf: Self.asOf, showSQL: showSQL)
        return try Explainer(db: db).explain(question)
    }
}

extension WhyReport {
    func match(_ id: String, field: String = "Email") -> Match? {
        matches.first { $0.candidate.recordID == id && $0.candidate.field == field }
    }

    func dependency(_ setting: String) -> Alternative? { dependsOn.first { $0.setting.rawValue == setting } }

    func advises(_ words: String) -> Bool { advice.contains { $0.contains(words) } }
}
