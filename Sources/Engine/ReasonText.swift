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

extension Reason {
    public var sentence: String {
        switch self {
        case .text(let text):
            return text
        case .noRecordToUpdate(let module, let id):
            return "No live \(module.rawValue) record has the id \(id), so update has nothing to update."
        case .mandatoryMissing(let module, let field):
            return "\(field) is mandatory for a new \(module.rawValue) record and this record has none."
        case .invalidValue(let field, let value, let type, let problem):
            if case .tooLong(let length, let maximum) = problem {
                return "\(field) is \(length) characters long, and Zoho takes at most \(maximum) in this \(type.rawValue) field."
            }
            if type == .email { return "\(field) `\(Matching.visible(value))` is not a valid email address." }
            return "\(field) `\(Matching.visible(value))` is not \(type.noun): Zoho expects \(type.form)."
        case .upsertBlockedByRecycleBin(let held, let deletedTime):
            return held.heldBy("the recycle-bin \(held.holder.singular) \(held.id) (deleted \(deletedTime ?? "at an unknown time")), "
                + "and recycle_bin_counts is true")
        case .upsertBlockedByMappedContact(let held):
            return held.heldBy("the \(held.holder.singular) \(held.id), found through the Leads duplicate-check preference "
                + "(cross_module_on_upsert is true)")
        case .uniqueClash(let held, let keptFromTarget, let inRecycleBin):
            let origin = keptFromTarget ? " (kept from the record it updates)" : ""
            return "\(held.field) is unique and the record would be written with `\(Matching.visible(held.value))`\(origin), "
                + "which \(held.holder.singular) \(held.id) already holds (\(inRecycleBin ? "in the recycle bin" : "live")), so Zoho reports DUPLICATE_DATA."
        case .severalClashes(let reasons):
            return Self.severalClashesHead(reasons.count) + " " + reasons.map(\.sentence).joined(separator: " ")
        case .preferenceClash(let held, let mappedField):
            return "The Leads duplicate-check preference (mapped_module_records) checks \(held.field) against Contacts.\(mappedField), "
                + "and Contact \(held.id) holds `\(Matching.visible(held.value))`."
        case .multipleMatches(let module, let field, let value, let holders):
            return "\(holders.count) \(module.rawValue) records (\(holders.joined(separator: ", "))) "
                + "hold \(field) `\(Matching.visible(value))`; "
                + "with multi_match=error upsert cannot choose one and reports DUPLICATE_DATA pointing at the oldest, \(holders.first ?? "")."
        case .updatesTarget(let module, let target, let match, let batchRow, let field):
            let how = match == .exact ? "the same" : "a matching (\(match.rawValue))"
            let place = batchRow.map { " (written by row \($0) of this batch)" } ?? ""
            return "\(module.singular) \(target)\(place) holds \(how) \(field), "
                + "the first field of the check pattern with a match, so upsert updates it."
        case .updatesByID:
            return "The record exists and no unique field clashes, so it is updated."
        case .adds(let module, let fields):
            let checked = fields.count > 1 ? fields.dropLast().joined(separator: ", ") + " or " + (fields.last ?? "") : fields.joined()
            return checked.isEmpty
                ? "No field is checked for duplicates here, so the record is added."
                : "No \(module.rawValue) record that counts holds this record's \(checked), so the record is added."
        }
    }
}

extension FieldValueType {
    /// What a value of the type is called in a sentence.
    public var noun: String {
        switch self {
        case .email: return "an email address"
        case .phone: return "a phone number"
        case .integer: return "an integer"
        case .bigint: return "a long integer"
        case .double, .decimal: return "a number"
        case .currency: return "an amount"
        case .percent: return "a percentage"
        case .date: return "a date"
        case .datetime: return "a date and time"
        case .boolean: return "a boolean"
        case .text, .textarea: return "text"
        case .website: return "a website"
        case .lookup, .ownerlookup: return "a record reference"
        }
    }

    /// The form Zoho takes, as a user would write it.
    var form: String {
        switch self {
        case .email: return "one `@`, a name before it and a dotted domain after it"
        case .phone: return "digits, spaces, `+ - ( ) .`"
        case .integer: return "a whole number of at most \(Self.integerDigits) digits, perhaps signed"
        case .bigint: return "a whole number of at most \(Self.bigintDigits) digits, perhaps signed"
        case .double, .decimal, .currency, .percent: return "a JSON number or a numeric string such as `1234.50`"
        case .date: return "`yyyy-MM-dd`"
        case .datetime: return "`yyyy-MM-ddTHH:mm:ss±HH:mm`, with no `Z` and no milliseconds"
        case .boolean: return "JSON `true` or `false`, not text"
        case .text, .textarea: return "a string"
        case .website: return "an address such as `www.example.com` or `https://example.com/page`"
        case .lookup, .ownerlookup: return "an object with an `id`, or a record id"
        }
    }
}

extension Note {
    public var text: String {
        switch self {
        case .ignoredCheckField(let name):
            return "duplicate_check_fields lists \(name), which is neither the system field nor unique; "
                + "Zoho accepts only those, so it is not checked."
        case .systemFieldDropped(let field):
            return "duplicate_check_fields does not list \(field), so upsert does not check it at all, "
                + "as Zoho documents (docs/rules.md#which-fields-are-checked)."
        case .campaignField(let name, let module):
            return "\(name) is not a \(module.rawValue) field: writing it creates no campaign membership. Membership is a related-records call: "
                + "PUT /Campaigns/{campaign_id}/\(module.rawValue) with {\"data\":[{\"id\":\"<record id>\",\"Member_Status\":\"…\"}]}."
        case .unknownField(let name, let module):
            return "\(name) is not a field of \(module.rawValue) in the catalogue; Zoho ignores it."
        }
    }
}

extension HeldValue {
    /// The sentence of an upsert whose match it cannot update.
    func heldBy(_ place: String) -> String {
        "\(field) `\(Matching.visible(value))` is held by \(place); upsert cannot update that record, so it reports DUPLICATE_DATA."
    }
}

extension Reason {
    /// The first words of a `severalClashes` sentence, for front ends that list the causes below it.
    public static func severalClashesHead(_ count: Int) -> String {
        "\(count) unique fields clash, so Zoho answers one MULTIPLE_OR_MULTI_ERRORS with a DUPLICATE_DATA for each:"
    }
}
