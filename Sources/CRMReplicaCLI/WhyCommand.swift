import ArgumentParser
import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Persistence
import Storage

struct Why: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain why a value is (or is not) treated as a duplicate.",
        discussion: """
            Lists every record that holds the value (live, in the recycle bin, in the other module, or written \
            by an earlier row of a batch), how each matches and whether it counts, the verdict Zoho would give, \
            the settings that would change it, and what to do. Without --batch the value is evaluated as a \
            record holding only that field; with --batch FILE --row N, row N of that payload is evaluated whole \
            after rows 0 to N-1 are applied in a dry run.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The value to explain: an email, or a value of --field.")
    var value: String

    @Option(help: "Contacts, Leads or Campaigns.")
    var module = "Contacts"

    @Option(help: ArgumentHelp("The call to explain.", valueName: "upsert|insert"))
    var operation = "upsert"

    @Option(name: .customLong("duplicate-check-fields"), help: ArgumentHelp("The upsert's duplicate_check_fields.", valueName: "F,…"))
    var duplicateCheckFields: String?

    @Option(help: "The field that holds the value (API name or label).")
    var field = "Email"

    @Option(help: ArgumentHelp("A bare payload JSON file ({\"data\":[…]}); needs --row.", valueName: "FILE"))
    var batch: String?

    @Option(help: "The row of --batch to explain, counted from 0 as in $.data[N].")
    var row: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting for this question.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Option(name: .customLong("as-of"), help: "The date recycle-bin purging is measured from (default now).")
    var asOf: String?

    @Flag(name: .customLong("show-sql"), help: "Also print the SQL the evaluator ran and its bound values.")
    var showSQL = false

    func validate() throws {
        if value.isEmpty { throw ValidationError(WhyError.emptyValue.description) }
        if Module(name: module) == nil {
            throw ValidationError("unknown module `\(module)`; use one of: \(Module.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if operation != WriteOperation.upsert.rawValue && operation != WriteOperation.insert.rawValue {
            throw ValidationError("unknown operation `\(operation)`; why explains upsert or insert")
        }
        if (batch == nil) != (row == nil) { throw ValidationError("--batch and --row go together: --batch FILE --row N") }
        if let row, row < 0 { throw ValidationError("--row \(row) is negative; rows count from 0, as in $.data[N]") }
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
            for warning in try replica.warnings(modules: [Module(name: module) ?? .contacts]) { Terminal.note(warning.description) }
            let settings = try replica.settings(overrides: assignments)
            let question = WhyQuestion(
                value: value, module: Module(name: module) ?? .contacts, operation: WriteOperation(rawValue: operation) ?? .upsert,
                field: field, duplicateCheckFields: checkFields, batch: try batch.map { try BatchRow.read(path: $0, row: row ?? 0) },
                settings: settings, asOf: asOf.flatMap(Timestamps.parse) ?? Date(), showSQL: showSQL)
            let report = try Explainer(db: replica.db).explain(question)
            print(common.json ? JSON.write(report.json) : WhyTextRenderer(colour: Terminal.stdoutIsTerminal).render(report))
        }
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
