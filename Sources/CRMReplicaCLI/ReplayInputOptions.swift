import ArgumentParser
import Catalogue
import Foundation
import Replay

/// How `replay` and `calibrate` read their inputs: the same flags, read the same way, so that a
/// file `replay` reads is one `calibrate` reads.
struct ReplayInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Override the input format.", valueName: ReplayFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var format: String?

    @Option(help: "The module of a bare payload or Bulk Write CSV: Contacts, Leads or Campaigns.")
    var module: String?

    @Option(help: ArgumentHelp("The call of a bare payload or the Bulk Write operation.", valueName: "upsert|insert|update"))
    var operation = "upsert"

    @Option(help: ArgumentHelp("The call of a bare payload, e.g. \"POST /crm/v2/Contacts/upsert\".", valueName: "METHOD PATH"))
    var endpoint: String?

    @Option(name: .customLong("find-by"), help: "Bulk Write's find_by: id, a unique field, or the module's system duplicate-check field (Email on Contacts and Leads).")
    var findBy: String?

    @Flag(name: .customLong("ignore-empty"), help: "Bulk Write's ignore_empty: empty cells leave stored values alone.")
    var ignoreEmpty = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The reference date for recycle-bin purges, for every request (default: each request's own time when the input recorded one, HAR startedDateTime or a log's time, else now).", valueName: "DATE"))
    var asOf: String?

    func validate() throws {
        do {
            if let format { _ = try ReplayFormat(named: format) }
            if let module { _ = try ReadOptions.module(named: module) }
            _ = try ReadOptions.operation(named: operation)
        } catch let error as ReplayError {
            throw ValidationError(error.description)
        }
    }

    /// The reader's options; `batchLimit` cuts Bulk Write CSVs into requests.
    func readOptions(batchLimit: Int) throws -> ReadOptions {
        var options = ReadOptions()
        options.format = try format.map(ReplayFormat.init(named:))
        options.module = try module.map(ReadOptions.module(named:))
        options.operation = try ReadOptions.operation(named: operation)
        options.endpoint = endpoint
        options.findBy = findBy
        options.ignoreEmpty = ignoreEmpty
        options.batchLimit = batchLimit
        return options
    }

    /// `--as-of` as a date; nil when not given (each request's own time, else now).
    func referenceDate() throws -> Date? {
        guard let asOf else { return nil }
        guard let date = Timestamps.parse(asOf) else { throw ReplayError.invalidDate(asOf) }
        return date
    }
}
