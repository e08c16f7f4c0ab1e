import ArgumentParser
import Calibrate
import Catalogue
import Engine
import Formats
import Foundation
import Ingest
import Replay
import Storage

/// `crm-replica calibrate`: the thin front of the `Calibrate` library.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Find the settings under which the replica reproduces the answers Zoho really gave.",
        discussion: """
            Inputs are what replay reads with real answers: request logs with "response", HAR captures, \
            or a payload or Bulk Write CSV with --compare FILE. They are replayed as dry runs under every \
            combination of the settings that can change a verdict, each from the same state. The report \
            gives the best combination, the evidence for each setting (decided, contradicted, or no \
            evidence), and the items no combination reproduces with the likely reason. --apply stores \
            the decided settings, and `settings` then shows them as calibrated.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var reading: ReplayInputOptions

    @Argument(help: "Request logs, HAR captures, payloads or Bulk Write CSVs, in the order they ran.")
    var inputs: [String] = []

    @Option(help: ArgumentHelp("The real answers of the inputs (NDJSON envelopes or a JSON array, in request order).", valueName: "FILE"))
    var compare: String?

    @Flag(help: "Store the decided settings in the replica.")
    var apply = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one input with real answers (a request log, a HAR capture, or a payload with --compare FILE)") }
    }

    func run() throws {
        try runReporting {
            // Opened as replay opens it: an older schema is upgraded before the workers read the file.
            let replica = try common.replica(.dryRun)
            let base = try Replayer.settings(replica, overrides: [])
            let options = try reading.readOptions(batchLimit: base.batchLimit)
            let input = try ReplayReader(options: options, store: RecordStore(db: replica.db)).read(paths: inputs)
            let real = try compare.map { try RealAnswers.load(path: $0, for: input) }
            if real == nil, !input.carriesRealAnswers { throw ReplayError.nothingToCompare }
            let calibrator = Calibrator(path: replica.path, input: input, real: real, base: base, asOf: try reading.referenceDate())
            let calibration = try calibrator.run()
            var applied: [(key: Settings.Key, value: String)]?
            if apply {
                applied = calibration.decided
                try store(calibration, files: input.files.map(\.path) + (compare.map { [$0] } ?? []))
            }
            if common.json {
                print(JSON.write(CalibrationReport.json(calibration, inputs: inputs, applied: applied)))
            } else {
                print(CalibrationReport.text(calibration, inputs: inputs, applied: applied), terminator: "")
            }
        }
    }

    /// The decided settings, each with the inputs behind it, and one `import_log` row per input
    /// (kind `calibrate`: read = items compared, updated = settings stored, rejected = items no
    /// combination reproduces), in one transaction.
    private func store(_ calibration: Calibration, files: [String]) throws {
        let db = try common.open()
        let time = Timestamps.format(Date())
        let absolute = files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        try db.write {
            for (key, value) in calibration.decided {
                try Settings.storeCalibrated(db, key: key, value: value, inputs: absolute, time: time)
            }
            for file in files {
                var entry = ImportLog.Entry(kind: .calibrate, source: file, sha256: try FileDigest.sha256(path: file), module: nil, format: "calibration")
                (entry.read, entry.updated, entry.rejected) = (calibration.total, calibration.decided.count, calibration.unexplained.count)
                try ImportLog.append(db, entry)
            }
        }
    }
}
