import ArgumentParser
import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Persistence
import Replay
import Storage

struct Why: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain why a value is (or is not) treated as a duplicate.",
        discussion: """
            Lists every record that holds the value (live, in the recycle bin, in the other module, or written \
            by an earlier row of a batch), how each matches and whether it counts, the verdict Zoho would give, \
            the settings that would change it, and what to do. Without --batch the value is evaluated as a \
            record holding only that field; with --batch FILE --row N, row N of that file is evaluated whole \
            after everything before it is applied in a dry run, as replay would apply it. FILE is any input \
            replay reads: a bare payload (its call from --module and --operation), a request log, a HAR \
            capture or a Bulk Write CSV (with --module, --operation and --find-by). --row N counts records \
            across the file's requests; --request K --row N takes row N of request K (both from 0).
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The value to explain: an email, or a value of --field.")
    var value: String

    @Option(help: "Contacts, Leads or Campaigns (default Contacts; a request of --batch names its own).")
    var module: String?

    @Option(help: ArgumentHelp("The call to explain (default upsert; a request of --batch names its own).", valueName: "upsert|insert"))
    var operation: String?

    @Option(name: .customLong("duplicate-check-fields"), help: ArgumentHelp("The upsert's duplicate_check_fields.", valueName: "F,…"))
    var duplicateCheckFields: String?

    @Option(help: "The field that holds the value (API name or label).")
    var field = "Email"

    @Option(help: ArgumentHelp("An input replay reads (payload, request log, HAR, Bulk Write CSV); needs --row.", valueName: "FILE"))
    var batch: String?

    @Option(help: "The row of --batch to explain, counted from 0 across its requests' records (within --request K if given).")
    var row: Int?

    @Option(help: ArgumentHelp("The request of --batch the row belongs to, counted from 0.", valueName: "K"))
    var request: Int?

    @Option(help: ArgumentHelp("Override the format of --batch.", valueName: ReplayFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var format: String?

    @Option(name: .customLong("find-by"), help: "Bulk Write's find_by, for a Bulk Write CSV as --batch.")
    var findBy: String?

    @Flag(name: .customLong("ignore-empty"), help: "Bulk Write's ignore_empty, for a Bulk Write CSV as --batch.")
    var ignoreEmpty = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting for this question.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Option(name: .customLong("as-of"), help: "The date recycle-bin purging is measured from (default now; a --batch request that carries its own time, as replay reads it, is judged as of that time).")
    var asOf: String?

    @Flag(name: .customLong("show-sql"), help: "Also print the SQL the evaluator ran and its bound values.")
    var showSQL = false

    func validate() throws {
        if value.isEmpty { throw ValidationError(WhyError.emptyValue.description) }
        if let module, Module(name: module) == nil {
            throw ValidationError("unknown module `\(module)`; use one of: \(Module.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let operation, operation != WriteOperation.upsert.rawValue && operation != WriteOperation.insert.rawValue {
            throw ValidationError("unknown operation `\(operation)`; why explains upsert or insert")
        }
        // --request without --row is answered once the file is read, with its counts.
        if batch == nil ? row != nil || request != nil : row == nil && request == nil {
            throw ValidationError("--batch and --row go together: --batch FILE --row N")
        }
        if let row, row < 0 { throw ValidationError("--row \(row) is negative; rows count from 0, as in $.data[N]") }
        if let request, request < 0 { throw ValidationError("--request \(request) is negative; requests count from 0") }
        if batch == nil, format != nil || findBy != nil || ignoreEmpty {
            throw ValidationError("--format, --find-by and --ignore-empty describe the --batch file; give --batch FILE --row N")
        }
        if let format { do { _ = try ReplayFormat(named: format) } catch let error as ReplayError { throw ValidationError(error.description) } }
        if let asOf, Timestamps.parse(asOf) == nil {
            throw ValidationError("--as-of `\(asOf)` is not a date; use YYYY-MM-DD or 2026-11-28T10:00:00+00:00")
        }
        var settings = Settings()
        for assignment in assignments {
            do { try settings.apply(assignment: assignment) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        try runReporting {
            let replica = try openReplica()
            let settings = try replica.settings(overrides: assignments)
            var question = WhyQuestion(
                value: value, module: Module(name: module ?? "") ?? .contacts, operation: WriteOperation(rawValue: operation ?? "") ?? .upsert,
                field: field, duplicateCheckFields: checkFields, settings: settings, asOf: asOf.flatMap(Timestamps.parse) ?? Date(),
                showSQL: showSQL)
            if let batch { try ask(&question, about: batch, replica: replica, settings: settings) }
            for warning in try replica.warnings(modules: [question.module]) { Terminal.note(warning.description) }
            let report = try Explainer(db: replica.db).explain(question)
            print(common.json ? JSON.write(report.json) : WhyTextRenderer(colour: Terminal.stdoutIsTerminal).render(report))
        }
    }

    /// Makes `question` about the row `--row` (and `--request`) of `path`, read by replay's own
    /// reader. The module and operation are the chosen request's: a log or HAR request names its
    /// call, and the row must be judged as that call, so an explicit `--module` or `--operation`
    /// that differs is refused rather than silently followed or ignored. For a bare payload and a
    /// Bulk Write CSV they are what the file is read as (default Contacts, upsert), as in replay.
    private func ask(_ question: inout WhyQuestion, about path: String, replica: ReplicaService, settings: Settings) throws {
        var options = ReadOptions()
        options.format = try format.map(ReplayFormat.init(named:))
        options.module = question.module
        options.operation = question.operation
        options.findBy = findBy
        options.ignoreEmpty = ignoreEmpty
        options.batchLimit = settings.batchLimit
        let input = try ReplayReader(options: options, store: RecordStore(db: replica.db)).read(paths: [path])
        let located = try ReplayRow.locate(in: input, path: path, request: request, row: row)
        let call = located.call
        if let module, Module(name: module) != call.module {
            throw ValidationError("\(located.request.source): the request is a \(call.module.rawValue) \(call.operation.rawValue), not --module \(module); leave --module out")
        }
        if let operation, operation != call.operation.rawValue {
            throw ValidationError("\(located.request.source): the request is a \(call.module.rawValue) \(call.operation.rawValue), not --operation \(operation); leave --operation out")
        }
        question.module = call.module
        question.operation = call.operation
        question.batch = located.batchRow(in: input, asOf: asOf.flatMap(Timestamps.parse), fallback: question.asOf)
    }

    /// `F,G` as a list; `--duplicate-check-fields ""` is an explicit empty list, as in a payload.
    private var checkFields: [String]? {
        duplicateCheckFields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// Read-only unless a batch row must be replayed: a reader never waits on a running load,
    /// while the batch's earlier rows run in a dry run, which a read-only connection cannot begin.
    /// Either way a missing database is an error rather than a new empty file.
    ///
    /// A file from an older crm-replica whose look-alike keys are outdated is opened for writing
    /// once, to recompute them (as a schema upgrade writes), and then read as usual.
    private func openReplica() throws -> ReplicaService {
        guard batch == nil else { return try common.replica(.dryRun) }
        let replica = try common.replica(.read)
        guard try RecordStore(db: replica.db).hasOutdatedNearMissKeys() else { return replica }
        try RecordStore(db: try common.replica(.write).db).recomputeNearMissKeys()
        return try common.replica(.read)
    }
}
