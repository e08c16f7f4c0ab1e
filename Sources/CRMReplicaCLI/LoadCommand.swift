import ArgumentParser
import Catalogue
import Formats
import Foundation
import Ingest

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load Zoho exports into the replica (loading a file again changes nothing).",
        discussion: """
            Accepts UI export CSVs (display-label headers), Bulk Read CSVs (API names with an `id` \
            column), API JSON pages and NDJSON of records, deleted-records JSON, field metadata JSON, \
            module metadata JSON (`GET /settings/modules`: the module ids that DUPLICATE_DATA answers \
            carry), the Leads duplicate-check preference, and campaign membership (a CSV with `Campaign Id`, \
            `Member Id`, `Member Module`, `Member Status`, or a campaign's related list with --campaign: a JSON \
            page, or a CSV of the members' `Record Id` or `id` with --module or a `Member Module` column). \
            The format and module come from the file when possible; --format and --module override. \
            A flag the file's format cannot use is an error (exit 2), and so is a membership row whose \
            `Campaign Id` or `Member Module` disagrees with --campaign or --module. \
            CSV fields may be separated by `,` `;` a tab or `|` (found from the header line), in UTF-8 or \
            UTF-16 (Excel's "Unicode Text"); rows whose every cell is empty are skipped. A record the \
            replica already holds with a later Modified_Time is left as it is and counted stale. \
            Each file loads in one transaction: a bad file loads nothing, and the load stops there (exit 2). \
            Files of modules the replica does not store (Accounts, Deals…) are skipped with a warning \
            while the others load (exit 1).
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Export files, loaded in the order given.")
    var files: [String]

    @Option(help: "The module the files hold: Contacts, Leads or Campaigns.")
    var module: String?

    @Option(help: ArgumentHelp("The file format.", valueName: InputFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var format: String?

    @Option(name: .customLong("campaign"),
            help: "Read {\"data\":[…]} pages and CSVs of member ids as the related list of this campaign (GET /Campaigns/{id}/Contacts|Leads).")
    var campaign: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to load") }
        if let module, Module(name: module) == nil {
            throw ValidationError("unknown module `\(module)`; use one of: \(Module.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let format, InputFormat(rawValue: format) == nil {
            throw ValidationError("unknown format `\(format)`; use one of: \(InputFormat.valueList)")
        }
    }

    func run() throws {
        try runReporting {
            let loader = Loader(db: try common.open(creating: true))
            let options = LoadOptions(module: module.flatMap(Module.init(name:)), format: format.flatMap(InputFormat.init(rawValue:)),
                                      campaignID: campaign)
            var reports: [FileReport] = []
            var skipped: [LoadError] = []
            var failure: (path: String, error: Error)?
            var bar: ProgressBar?
            loader.load(paths: files, options: options, progress: { path in
                bar = ProgressBar(label: path, enabled: Terminal.stderrIsTerminal && !common.quiet)
                return bar?.update
            }, each: { outcome in
                bar?.finish()
                bar = nil
                switch outcome.result {
                case .success(let report):
                    reports.append(report)
                    if !common.json { print(Self.summary(report)) }
                    for note in Self.notes(report) { Terminal.note(note) }
                    return true
                case .failure(let error as LoadError) where error.isUnsupportedModule:
                    skipped.append(error)
                    return true
                case .failure(let error):
                    failure = (outcome.path, error)
                    return false
                }
            })
            try finish(reports: reports, skipped: skipped, failure: failure)
        }
    }

    /// Reports the end of a load. Each file is its own transaction, so what loaded before a
    /// failure stays loaded, and `--json` still prints one document: the committed files, any
    /// skipped ones, and the error (exit 2). Files of modules the replica does not store are
    /// skipped with a warning each, and the others load: exit 1, or 2 when nothing was left to load.
    private func finish(reports: [FileReport], skipped: [LoadError], failure: (path: String, error: Error)?) throws {
        let stopped = failure.map { (path: $0.path, message: "\($0.error)") } ?? (reports.isEmpty ? skipped.first.map { ($0.path, $0.description) } : nil)
        if common.json { print(JSON.write(FileReport.document(reports, skippedFiles: skipped, error: stopped))) }
        if let failure {
            for file in skipped { Self.warn(file) }
            throw LoadFailure(underlying: failure.error, earlierFiles: reports.count, totalFiles: files.count)
        }
        if reports.isEmpty, !skipped.isEmpty {
            for file in skipped { Terminal.error(file.description) }
            throw ExitCode(2)
        }
        for file in skipped { Self.warn(file) }
        if !skipped.isEmpty { throw ExitCode(1) }
    }

    private static func warn(_ skipped: LoadError) {
        Terminal.note("crm-replica: warning: \(skipped); skipped")
    }

    static func summary(_ report: FileReport) -> String {
        let what = [report.module, report.format].compactMap { $0 }.joined(separator: " ")
        return "\(report.path) (\(what)): \(report.read) read, \(report.inserted) inserted, \(report.updated) updated, "
            + "\(report.unchanged) unchanged, \(report.rejected) rejected"
            + (report.stale > 0 ? ", \(report.stale) stale" : "")
            + (report.skipped > 0 ? ", \(report.skipped) empty rows skipped" : "")
    }

    /// What stderr says about a file beside its summary: what it was read as when that is not
    /// the default, and the records it did not write because the replica holds newer ones.
    static func notes(_ report: FileReport) -> [String] {
        var notes: [String] = []
        if let encoding = report.encoding { notes.append("\(report.path): read as \(encoding.rawValue) text (converted to UTF-8)") }
        if let separator = report.delimiter, separator != .comma {
            notes.append("\(report.path): fields are separated by \(separator.name), not commas")
        }
        if report.stale > 0 {
            let rows = report.stale == 1 ? "1 record" : "\(report.stale) records"
            notes.append("\(report.path): \(rows) left as stored (stale): the replica already holds a later Modified_Time, "
                         + "so these rows are older than what was loaded before")
        }
        return notes
    }
}

/// A failed file, with what became of the files before it (each loaded in its own transaction).
private struct LoadFailure: Error, CustomStringConvertible {
    let underlying: Error
    let earlierFiles: Int
    let totalFiles: Int

    var description: String {
        let earlier = earlierFiles > 0 ? "earlier files were loaded (\(earlierFiles) of \(totalFiles)); " : ""
        return "\(underlying); \(earlier)this file loaded nothing"
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, only once a load has
/// run for a second (short loads stay quiet), and at most ten times a second.
private final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private let started = Date()
    private var lastDrawn: Date?

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    func update(_ bytes: Int, _ total: Int?) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(started) >= 1, lastDrawn.map({ now.timeIntervalSince($0) >= 0.1 }) ?? true else { return }
        lastDrawn = now
        let width = 30
        var line = "\r\u{1B}[K"
        if let total, total > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100)
        } else {
            line += "\(bytes / 1024) KiB "
        }
        FileHandle.standardError.write(Data((line + label).utf8))
    }

    /// Erases the bar, leaving the cursor at the start of its empty line, so that what is
    /// printed next (the file's summary, on stdout, which shares the terminal) starts a clean line
    /// instead of being glued to the bar. Call it before printing anything else.
    func finish() {
        guard enabled, lastDrawn != nil else { return }
        lastDrawn = nil
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
