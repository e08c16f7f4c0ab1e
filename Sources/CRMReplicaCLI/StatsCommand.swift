import ArgumentParser
import Catalogue
import Formats
import Foundation
import Ingest
import Storage

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print how many records, memberships and recycle-bin rows the replica holds.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        try runReporting {
            // Read-only, so stats never waits on a running load.
            let counts = try ReplicaCounts(db: try common.open(.readOnly))
            if common.json {
                print(JSON.write(counts.json))
                return
            }
            let width = counts.rows.map(\.name.count).max() ?? 0
            for row in counts.rows {
                let count = String(row.count)
                print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                      + String(repeating: " ", count: max(0, 10 - count.count)) + count)
            }
        }
    }
}
