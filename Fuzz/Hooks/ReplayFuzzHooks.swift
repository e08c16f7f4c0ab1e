// Compiled into the Replay module by scripts/fuzz.sh only (never part of the package build):
// reaches the internal readers with bytes instead of files.

import Catalogue
import Engine

extension InputBytes {
    init(fuzzBytes: [UInt8]) {
        path = "fuzz-input"
        bytes = fuzzBytes
    }
}

public enum ReplayFuzzHooks {
    /// Reads `bytes` as `format`, then routes and checks every request as `Replayer.run` does
    /// before it writes. Errors are fine when they are `ReplayError`s with a message.
    public static func check(_ bytes: [UInt8], as format: ReplayFormat) {
        let file = InputBytes(fuzzBytes: bytes)
        do {
            let requests: [ReplayRequest]
            switch format {
            case .log: requests = try RequestLogReader().read(file)
            case .har: requests = try HARReader().read(file).requests
            case .payload:
                var options = ReadOptions()
                options.module = .contacts
                requests = [try PayloadReader(options: options).read(file)]
            case .bulkCSV: return
            }
            for request in requests {
                _ = Route.of(request.request)
                try Replayer.validate(request)
            }
            if format == .log || format == .payload { _ = try? ReplayFormat.sniff(file) }
        } catch let error as ReplayError {
            // Every reader error names the file (the CLI contract: file and line or JSON path).
            precondition(error.description.contains("fuzz-input"), "an error that does not name the file: \(error)")
        } catch {
            preconditionFailure("a reader threw something that is not a ReplayError: \(error)")
        }
    }
}
