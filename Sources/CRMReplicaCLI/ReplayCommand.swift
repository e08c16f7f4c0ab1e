import ArgumentParser
import Catalogue
import Engine
import Foundation
import Replay
import Storage

/// `crm-replica replay`: the thin front of the `Replay` library (the command-line contract). Named `ReplayCommand`
/// so that it does not shadow the module.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay import batches against the replica and print what Zoho would answer (a dry run unless --commit).",
        discussion: """
            Inputs: a bare payload with --module/--operation or --endpoint; an NDJSON request log \
            ({"method","path","body"} a line, optionally "status" and "response"); a HAR 1.2 capture; \
            a Bulk Write CSV with --module, --operation and --find-by. Requests run in order, each seeing \
            the ones before it. With real answers in the input, or --compare FILE, predicted and real \
            answers are compared and the exit status is 1 when any differ (a FILE takes precedence over \
            answers in the input). Put --compare without a file after the inputs, or write --compare=FILE. \
            A request whose real answer refused it whole (a request-level error such as INVALID_TOKEN, or \
            HTTP 401, 429, 5xx) wrote nothing in Zoho, so it is not applied here either. \
            --json prints NDJSON: one Zoho envelope per line, line N for request N.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var reading: ReplayInputOptions

    @Argument(help: "Payloads, request logs, HAR captures or Bulk Write CSVs, replayed in the order given.")
    var inputs: [String] = []

    @Flag(help: "Keep the writes (default: a dry run that leaves the replica unchanged).")
    var commit = false

    @Flag(help: "Show the evidence of each item (check pattern, candidates and whether they count, reason, depends_on): under each item of the report, or as a \"$replica\" object on each item of --json, with the settings.")
    var explain = false

    @Option(name: .long, defaultAsFlag: "", parsing: .next,
            help: ArgumentHelp("Compare with the real answers: those in the input, or FILE (NDJSON envelopes or a JSON array, in request order).",
                               valueName: "FILE"))
    var compare: String? = nil

    @Option(name: .customLong("csv"), help: ArgumentHelp("Write a Bulk-Write-style result file.", valueName: "FILE"))
    var csvPath: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting for this run.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Flag(help: "Print on stderr how long reading the inputs, replaying and writing the report took.")
    var timing = false

    func validate() throws {
        if inputs.isEmpty {
            throw ValidationError("give at least one input to replay (with --compare FILE, put the inputs first or write --compare=FILE)")
        }
    }

    func run() throws {
        var differ = false
        try runReporting {
            let replica = try common.replica(commit ? .write : .dryRun)
            let settings = try Replayer.settings(replica, overrides: assignments)
            let replayer = Replayer(replica: replica, settings: settings, asOf: try reading.referenceDate() ?? Date())
            replayer.followsRequestTimes = reading.asOf == nil
            let options = try reading.readOptions(batchLimit: settings.batchLimit)
            let clock = ContinuousClock()
            let started = clock.now
            var input = try ReplayReader(options: options, store: replayer.session.store).read(paths: inputs)
            let real = try compare.flatMap { $0.isEmpty ? nil : try RealAnswers.load(path: $0, for: input) }
            if let real {
                input.answer(with: real)
            } else if compare != nil, !input.carriesRealAnswers {
                throw ReplayError.nothingToCompare
            }
            let read = clock.now
            let report = try replayer.run(input, commit: commit, explain: explain)
            let replayed = clock.now
            // After the run: a bad input is reported alone, without warnings about the replica.
            for warning in try replica.warnings(modules: input.writtenModules) { Terminal.note(warning.description) }
            let comparison: Comparison? = real.map { Comparison(report: report, real: $0) }
                ?? (compare != nil || input.carriesRealAnswers ? Comparison(report: report) : nil)
            if let csvPath { try ResultTable(report: report).write(to: csvPath) }
            if common.json {
                for request in report.requests {
                    print(JSONLines.line(request, settings: report.settings, explain: explain,
                                         differences: comparison.flatMap { $0.differences(for: request.index) }, clock: report.clock))
                }
            } else {
                print(ReplayText.render(report, comparison: comparison, explain: explain), terminator: "")
            }
            differ = comparison?.matches == false
            if timing {
                let items = report.requests.reduce(0) { $0 + $1.items.count }
                let seconds = (replayed - read).seconds
                let rate = seconds > 0 ? " (\(Int((Double(items) / seconds).rounded())) items/s)" : ""
                let line = "timing: read \((read - started).formatted3) s, replay \(items) items \((replayed - read).formatted3) s\(rate), "
                    + "report \((clock.now - replayed).formatted3) s; \(replayer.session.readAheadServed) lookups read ahead\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
            KeptUntilExit.keep(report)
        }
        if differ { throw ExitCode(1) }
    }
}

/// Keeps a value alive until the process exits. A replay's report is tens of thousands of small
/// allocations; freeing them one by one just before exiting took a fifth of a 10,000-record
/// replay's time, and the exit returns the memory anyway.
final class KeptUntilExit<Value> {
    let value: Value

    private init(_ value: Value) { self.value = value }

    static func keep(_ value: Value) {
        _ = Unmanaged.passRetained(KeptUntilExit(value))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var formatted3: String { String(format: "%.3f", seconds) }
}
