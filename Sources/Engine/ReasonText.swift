import Catalogue

// The one place the evaluator's decisions become English: replay's text and JSON, `why` and
// the demo all print these sentences, so the evaluator itself returns only typed values.

extension NotCounted {
    public var text: String {
        switch self {
        case .nearMiss(let kind):
            return "\(kind.phrase); match is nocase"
        case .writtenByBatchRow(let row):
            return "written by row \(row) of this batch, and batch_visibility is snapshot (records see only the state before the batch)"
        case .permanentlyDeleted:
            return "permanently deleted"
        case .purged(let deletedTime):
            return "purged: deleted \(deletedTime ?? "?"), more than \(RecycleBinRule.purgeDays) days before the reference date"
        case .inRecycleBin:
            return "in the recycle bin, and recycle_bin_counts is false"
        case .crossModuleOnUpsertOff:
            return "a Contact found through the Leads duplicate-check preference; cross_module_on_upsert is false"
        case .patternStopped(let field):
            return "the check pattern stopped at \(field), which matched first"
        case .notInCheckPattern(let field):
            return "duplicate_check_fields does not list \(field), so this upsert does not check it"
        case .notUnique(let field, let operation):
            return "\(field) is not unique, and \(operation == .insert ? "an insert" : "an update") checks only unique fields"
        case .otherPersonModule(let holder, let operation):
            if holder == .leads { return "a Lead; a Contacts \(operation.rawValue) does not check Leads" }
            return "a Contact; a Leads \(operation.rawValue) checks Contacts only through a mapped_module_records duplicate-check preference"
                + (operation == .upsert ? " and cross_module_on_upsert" : "")
        case .otherEmailField(let field):
            return "held in \(field), which is not unique, so no duplicate check reads it"
        }
    }
}
