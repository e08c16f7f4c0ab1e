import Catalogue
import Storage

/// What a request asks of one record.
public enum WriteOperation: String, Sendable, CaseIterable, Codable {
    case upsert, insert, update
}

/// The ordered fields an upsert walks to find its target (docs/rules.md#which-fields-are-checked).
public struct CheckPattern: Equatable, Sendable {
    public let fields: [String]
    /// `duplicate_check_fields` entries that are neither the system field nor unique: Zoho
    /// accepts only those, so the replica ignores them and says so.
    public let ignored: [String]
    /// True when the call listed fields without the system field, which drops it.
    public let systemFieldDropped: Bool

    /// `duplicate_check_fields` in order (or the system field), then every unique field not listed.
    public init(module: Module, catalogue: FieldCatalogue, duplicateCheckFields: [String]?) {
        let system = module.systemDuplicateField
        let unique = catalogue.uniqueFields.map(\.apiName)
        var fields: [String] = []
        var ignored: [String] = []
        if let listed = duplicateCheckFields {
            for name in listed where !fields.contains(name) {
                if name == system || unique.contains(name) { fields.append(name) } else { ignored.append(name) }
            }
            systemFieldDropped = !fields.contains(system) && !unique.contains(system)
        } else {
            fields = [system]
            systemFieldDropped = false
        }
        fields += unique.filter { !fields.contains($0) }
        self.fields = fields
        self.ignored = ignored
    }

    /// The unique fields in check-pattern order: the order clashes are reported in.
    public func uniqueOrder(_ catalogue: FieldCatalogue) -> [String] {
        let unique = catalogue.uniqueFields.map(\.apiName)
        return fields.filter { unique.contains($0) } + unique.filter { !fields.contains($0) }
    }
}

/// Where a holder of a value was found.
public enum HolderLocation: Equatable, Sendable {
    case live
    case recycleBin
    /// Written by an earlier record of the same batch (its 0-based row).
    case batch(row: Int)

    public var name: String {
        switch self {
        case .live: return "live"
        case .recycleBin: return "recycle_bin"
        case .batch: return "batch"
        }
    }
}

/// What a candidate is to the verdict.
public enum CandidateRole: String, Sendable {
    /// Found while walking the check pattern (could become the upsert's target).
    case match
    /// Holds the value of a unique field the written record would have.
    case uniqueClash = "unique_clash"
    /// Found through the Leads duplicate-check preference in Contacts.
    case mappedModule = "mapped_module"
    /// Holds the value elsewhere, for the explanation only (another module, another email field).
    case evidence
}

/// One record the evaluator looked at: the evidence behind a verdict.
public struct Candidate: Equatable, Sendable {
    public let module: Module
    public let location: HolderLocation
    public let recordID: String
    /// The input field whose value was looked up.
    public let checkedField: String
    /// The holder's field that holds it (differs for mapped fields and evidence).
    public let field: String
    public let storedValue: String
    public let match: MatchKind
    public let role: CandidateRole
    public var counts: Bool
    public var whyNotCounted: NotCounted?
    public let createdTime: String?
    public let ownerName: String?
    public let ownerID: String?
    public let deletedTime: String?
    public let deletedBy: String?

    public init(module: Module, location: HolderLocation, recordID: String, checkedField: String, field: String,
                storedValue: String, match: MatchKind, role: CandidateRole, counts: Bool, whyNotCounted: NotCounted?,
                createdTime: String?, ownerName: String?, ownerID: String?, deletedTime: String?, deletedBy: String?) {
        self.module = module
        self.location = location
        self.recordID = recordID
        self.checkedField = checkedField
        self.field = field
        self.storedValue = storedValue
        self.match = match
        self.role = role
        self.counts = counts
        self.whyNotCounted = whyNotCounted
        self.createdTime = createdTime
        self.ownerName = ownerName
        self.ownerID = ownerID
        self.deletedTime = deletedTime
        self.deletedBy = deletedBy
    }
}

extension Candidate {
    /// This holder, shown but not counted, for `why`.
    func notCounted(_ why: NotCounted) -> Candidate {
        var shown = self
        shown.counts = false
        shown.whyNotCounted = why
        return shown
    }

    /// One entry per record and field: the evaluator may meet a holder twice (the pattern walk
    /// and the unique check, or the mapped lookup and the preference check) and keeps it once.
    func isSameHolder(as other: Candidate) -> Bool {
        recordID == other.recordID && field == other.field && module == other.module && location == other.location
    }
}

/// Why a holder the evaluator looked at does not count. Typed, so that front ends can tell the
/// causes apart; `text` (ReasonText.swift) is the one English wording.
public enum NotCounted: Equatable, Sendable {
    /// The stored value matches only beyond case (`MatchKind`), and match is nocase.
    case nearMiss(MatchKind)
    /// Written by this earlier row of the batch, and batch_visibility is snapshot.
    case writtenByBatchRow(Int)
    case permanentlyDeleted
    /// Deleted more than `RecycleBinRule.purgeDays` before the reference date.
    case purged(deletedTime: String?)
    /// In the recycle bin, and recycle_bin_counts is false.
    case inRecycleBin
    /// A Contact found through the Leads duplicate-check preference by an upsert, and
    /// cross_module_on_upsert is false.
    case crossModuleOnUpsertOff
    /// A later field of the check pattern: the walk had already matched at `at`.
    case patternStopped(at: String)
    /// An upsert's duplicate_check_fields does not list `field`.
    case notInCheckPattern(field: String)
    /// An insert or update checks only unique fields, and `field` is not one.
    case notUnique(field: String, operation: WriteOperation)
    /// A holder in the other person module (`holder`), which `operation` does not check.
    case otherPersonModule(holder: Module, operation: WriteOperation)
    /// Held in this other email field of the module, which is not unique.
    case otherEmailField(String)
}

/// What a successful record write did, as Zoho's `action` spells it.
public enum Action: String, Sendable, Hashable {
    case insert, update
}

/// The answer Zoho would give for one record.
public struct Outcome: Equatable, Sendable {
    /// Every code the replica answers with, for one item or (`limitExceeded`) a whole request:
    /// the one place their JSON spellings are written, so reports and comparisons switch on the
    /// case instead of matching text.
    public enum Code: String, Sendable, Hashable {
        case success = "SUCCESS"
        case duplicateData = "DUPLICATE_DATA"
        case mandatoryNotFound = "MANDATORY_NOT_FOUND"
        case invalidData = "INVALID_DATA"
        case limitExceeded = "LIMIT_EXCEEDED"
        /// One item for a record with several unique-field clashes (`multiple_errors=wrap`):
        /// its `errors` hold one `DUPLICATE_DATA` per clashing field.
        case multipleErrors = "MULTIPLE_OR_MULTI_ERRORS"
    }

    public var code: Code
    /// insert or update for successes (upsert reports it; insert and update imply it).
    public var action: Action?
    public var duplicateField: String?
    /// The record updated or created, or the record that caused the error.
    public var recordID: String?
    public var recordModule: Module?
    /// Zoho's id of `recordModule`, from loaded module metadata: `duplicate_record.module.id`,
    /// which Zoho's schema requires (null when unknown). Filled by the evaluator, which reads
    /// the ids once per batch, so rendering an answer never touches SQLite.
    public var recordModuleID: String?
    public var apiName: String?
    public var jsonPath: String?
    public var moreRecords = false
    public var expectedDataType: String?
    /// INVALID_DATA's `maximum_length`: 9 for an integer, the field's length for text too long.
    public var maximumLength: Int?
    public var ownerName: String?
    public var ownerID: String?
    /// Set once a success has been written: the ids and times Zoho returns.
    public var written: WriteDetails?
    /// `MULTIPLE_OR_MULTI_ERRORS`: the errors it wraps (`details.errors`), one `DUPLICATE_DATA`
    /// per clashing unique field in check-pattern order. Empty for every other code.
    public var errors: [Outcome] = []

    public init(code: Code, action: Action? = nil, duplicateField: String? = nil, recordID: String? = nil,
                recordModule: Module? = nil, apiName: String? = nil, jsonPath: String? = nil) {
        self.code = code
        self.action = action
        self.duplicateField = duplicateField
        self.recordID = recordID
        self.recordModule = recordModule
        self.apiName = apiName
        self.jsonPath = jsonPath
    }

    public var isSuccess: Bool { code == .success }
}

/// What a user acts on in a verdict: its code, action, duplicate field (and the field an error
/// names), and the record it updates or that causes the error. Two verdicts with the same answer
/// are the same verdict, so `depends_on` lists a setting only when its other value changes one
/// of these, never when it changes only the id a created record would get.
public struct Answer: Hashable, Sendable {
    /// A record as a user recognises it across runs: a stored record by its id, a record that an
    /// earlier row of the batch creates by that row (its id depends on how many rows before it insert).
    public enum RecordReference: Hashable, Sendable {
        case stored(Module, id: String)
        case createdByRow(Int)
    }

    public let code: Outcome.Code
    public let action: Action?
    public let duplicateField: String?
    public let apiName: String?
    /// The target of an update or the holder behind an error; nil for an insert, whose new id
    /// is made up.
    public let record: RecordReference?
    /// The answers inside `MULTIPLE_OR_MULTI_ERRORS`, in order: a clash more or less is another verdict.
    public let errors: [Answer]
}

extension Verdict {
    public var answer: Answer { answer(outcome) }

    private func answer(_ outcome: Outcome) -> Answer {
        var record: Answer.RecordReference?
        if let id = outcome.recordID, outcome.action != .insert {
            let createdBy = candidates.lazy.compactMap { $0.recordID == id ? $0.location.batchRow : nil }.first
            record = createdBy.map(Answer.RecordReference.createdByRow) ?? .stored(outcome.recordModule ?? module, id: id)
        }
        return Answer(code: outcome.code, action: outcome.action, duplicateField: outcome.duplicateField, apiName: outcome.apiName,
                      record: record, errors: outcome.errors.map(answer))
    }

    /// The sentences of the causes of a `MULTIPLE_OR_MULTI_ERRORS` verdict, one per wrapped error
    /// and in the same order; empty for any other verdict.
    public var causes: [String] {
        guard case .severalClashes(let reasons) = typedReason else { return [] }
        return reasons.map(\.sentence)
    }
}

/// The evaluation of one record: the outcome and everything it rests on. Every front end
/// (replay, why, the future HTTP server) renders this one value.
public struct Verdict: Equatable, Sendable {
    /// The fields, in one copy-on-write box: a verdict is handed on and stored several times per
    /// record (session, items, report), and copying its two dozen references each time cost a
    /// tenth of a replay. It is still a value: a change to a copy never shows in another.
    private final class Storage: @unchecked Sendable {
        let module: Module
        let operation: WriteOperation
        let row: Int
        let input: Record
        let settings: Settings
        let pattern: CheckPattern
        let checkedFields: [String]
        var candidates: [Candidate]
        var outcome: Outcome
        var reasonText: Reason
        var notes: [Note]
        var written: Record?
        var alternatives: [Alternative]

        init(module: Module, operation: WriteOperation, row: Int, input: Record, settings: Settings, pattern: CheckPattern,
             checkedFields: [String], candidates: [Candidate], outcome: Outcome, reasonText: Reason, notes: [Note],
             written: Record?, alternatives: [Alternative]) {
            self.module = module
            self.operation = operation
            self.row = row
            self.input = input
            self.settings = settings
            self.pattern = pattern
            self.checkedFields = checkedFields
            self.candidates = candidates
            self.outcome = outcome
            self.reasonText = reasonText
            self.notes = notes
            self.written = written
            self.alternatives = alternatives
        }

        func copy() -> Storage {
            Storage(module: module, operation: operation, row: row, input: input, settings: settings, pattern: pattern,
                    checkedFields: checkedFields, candidates: candidates, outcome: outcome, reasonText: reasonText, notes: notes, written: written,
                    alternatives: alternatives)
        }
    }

    private var storage: Storage

    /// The box, copied first if another verdict shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public var module: Module { storage.module }
    public var operation: WriteOperation { storage.operation }
    public var row: Int { storage.row }
    /// The record as the request gave it.
    public var input: Record { storage.input }
    public var settings: Settings { storage.settings }
    public var pattern: CheckPattern { storage.pattern }
    /// The fields the operation looks up: upsert walks the check pattern; insert and update
    /// check the unique fields and, for Leads, the fields the duplicate-check preference maps to
    /// Contacts. A holder of any other field is evidence only (`why` says the field is not checked).
    public var checkedFields: [String] { storage.checkedFields }
    public var candidates: [Candidate] {
        get { storage.candidates }
        set { unique.candidates = newValue }
    }
    public var outcome: Outcome {
        get { storage.outcome }
        set { unique.outcome = newValue }
    }
    /// The reason in one sentence.
    public var reason: String {
        get { storage.reasonText.sentence }
        set { unique.reasonText = .text(newValue) }
    }
    /// The reason as the evaluator decided it, for front ends that tell causes apart.
    public var typedReason: Reason { storage.reasonText }
    /// Things the user should know that do not change the outcome (ignored fields, Campaign_ID).
    public var notes: [Note] {
        get { storage.notes }
        set { unique.notes = newValue }
    }
    /// The record as it would be written (for a success).
    public var written: Record? {
        get { storage.written }
        set { unique.written = newValue }
    }
    /// For each setting whose other value would change the outcome: that value and the verdict
    /// then (`depends_on`). Filled only when asked (`Session.whatIf`); the verdicts inside carry none.
    public var alternatives: [Alternative] {
        get { storage.alternatives }
        set { unique.alternatives = newValue }
    }

    init(module: Module, operation: WriteOperation, row: Int, input: Record, settings: Settings, pattern: CheckPattern,
         checkedFields: [String], candidates: [Candidate], outcome: Outcome, reason: Reason, notes: [Note], written: Record?) {
        storage = Storage(module: module, operation: operation, row: row, input: input, settings: settings, pattern: pattern,
                          checkedFields: checkedFields, candidates: candidates, outcome: outcome, reasonText: reason, notes: notes, written: written,
                          alternatives: [])
    }

    public static func == (a: Verdict, b: Verdict) -> Bool {
        a.storage === b.storage || (a.module == b.module && a.operation == b.operation && a.row == b.row && a.input == b.input
            && a.settings == b.settings && a.pattern == b.pattern && a.checkedFields == b.checkedFields
            && a.candidates == b.candidates && a.outcome == b.outcome
            && a.typedReason == b.typedReason && a.notes == b.notes && a.written == b.written && a.alternatives == b.alternatives)
    }
}

/// A verdict's reason, kept as its parts until asked for: a replay of thousands of records
/// prints the reasons of its failures only, and writing each success's sentence cost as much
/// as looking its email up. The parts also let a front end group failures by what decided
/// them rather than by reading the sentence.
public enum Reason: Equatable, Sendable {
    case text(String)
    /// update names an id no live record has.
    case noRecordToUpdate(module: Module, id: String)
    /// A new record lacks a system-mandatory field.
    case mandatoryMissing(module: Module, field: String)
    /// A field holds a value its type does not take (`value` as sent: text as is, else JSON).
    case invalidValue(field: String, value: String, type: FieldValueType, problem: ValueProblem)
    /// The upsert's match is in the recycle bin (recycle_bin_counts is true): it cannot be updated.
    case upsertBlockedByRecycleBin(HeldValue, deletedTime: String?)
    /// The upsert's match is a Contact found through the Leads preference (cross_module_on_upsert
    /// is true): it cannot be updated.
    case upsertBlockedByMappedContact(HeldValue)
    /// The written record would repeat a unique field's value; `keptFromTarget` when the value
    /// comes from the record updated, not from the request.
    case uniqueClash(HeldValue, keptFromTarget: Bool, inRecycleBin: Bool)
    /// Several unique fields clash (`multiple_errors=wrap`): one failure with several causes, the
    /// reasons of the wrapped errors in their order.
    indirect case severalClashes([Reason])
    /// The Leads duplicate-check preference maps the field to `mappedField` of Contacts, and a
    /// Contact holds the value.
    case preferenceClash(HeldValue, mappedField: String)
    /// Several records that count hold `field` (oldest first), and multi_match=error keeps
    /// upsert from choosing one.
    case multipleMatches(module: Module, field: String, value: String, holders: [String])
    /// Upsert found its target through `field`.
    case updatesTarget(module: Module, target: String, match: MatchKind, batchRow: Int?, field: String)
    case updatesByID
    /// No record that counts holds any of `checked`.
    case adds(module: Module, checked: [String])
}

/// A record that holds a value the evaluator looked up: the parts of most failure reasons.
public struct HeldValue: Equatable, Sendable {
    public let field: String
    public let value: String
    public let holder: Module
    public let id: String
}

/// Something a user should know about a record that does not change its outcome. Typed, so
/// that front ends act on the kind (the demo counts the rows that carry a campaign field, `why`
/// advises on it) and `text` is the one English wording.
public enum Note: Equatable, Sendable {
    /// `duplicate_check_fields` lists a field that is neither the system field nor unique.
    case ignoredCheckField(String)
    /// `duplicate_check_fields` leaves out the module's system field.
    case systemFieldDropped(field: String)
    /// A person record carries a field, not in the catalogue, named like a campaign: people
    /// expect writing it to add a campaign member, and it does not.
    case campaignField(name: String, module: Module)
    /// Any other field the catalogue does not have: Zoho ignores it.
    case unknownField(name: String, module: Module)
}

/// A setting whose other value would change a verdict, and the verdict then: the one evaluator
/// run again under that value against the same state, never a guess.
public struct Alternative: Sendable, Equatable {
    public let setting: Settings.Key
    public let value: String
    /// Evaluated under the other value; its `settings` are those of the re-run.
    public let verdict: Verdict

    public init(setting: Settings.Key, value: String, verdict: Verdict) {
        self.setting = setting
        self.value = value
        self.verdict = verdict
    }
}

/// What a successful write reports in `details`.
public struct WriteDetails: Equatable, Sendable {
    public let id: String
    public let createdTime: String
    public let modifiedTime: String
    public let createdBy: User
    public let modifiedBy: User
}

/// A CRM user, as `Owner`, `Created_By` and `Modified_By` name one.
public struct User: Equatable, Sendable {
    public let name: String
    public let id: String

    public init(name: String, id: String) {
        self.name = name
        self.id = id
    }

    /// The user the replica acts as when it writes: requests carry no user of their own.
    public static let replica = User(name: "crm-replica", id: "1000000000000000001")
}

extension Verdict: CustomStringConvertible {
    /// Every field, as a struct's default description would show them (the box hides them).
    public var description: String {
        "Verdict(module: \(module), operation: \(operation), row: \(row), input: \(input), settings: \(settings), "
            + "pattern: \(pattern), checkedFields: \(checkedFields), candidates: \(candidates), outcome: \(outcome), reason: \(reason), notes: \(notes), "
            + "written: \(String(describing: written)), alternatives: \(alternatives))"
    }
}
