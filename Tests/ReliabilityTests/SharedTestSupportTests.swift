import Engine
import Foundation
import TestSupport
import Testing

/// The runner and the dump every suite now shares, checked against the binary they drive: if
/// the dump stopped seeing changes, every "nothing written" test would pass vacuously.
@Suite("Shared test support: the runner's result shadows nothing, the dump sees what the binary commits")
struct SharedTestSupportTests {
    /// The runner's result is `CommandResult`, so that `Outcome` in these tests is the engine's
    /// answer for a record, as it is everywhere else.
    @Test func outcomeIsTheEnginesOutcome() {
        #expect(ObjectIdentifier(Outcome.self) == ObjectIdentifier(Engine.Outcome.self))
    }

    @Test func theDumpIgnoresADryRunAndNamesTheTablesACommitChanged() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let batch = try workspace.write("batch.json", #"{"data":[{"Last_Name":"New","Email":"new@example.com"}]}"#)
        let before = try DatabaseDump(path: workspace.database)

        let dry = try workspace.run(["replay", batch, "--module", "Contacts"])
        #expect(dry.status == 0 && !dry.signalled, "\(dry)")
        #expect(try DatabaseDump(path: workspace.database) == before)

        try workspace.succeed(["replay", batch, "--module", "Contacts", "--commit", "--quiet"])
        let after = try DatabaseDump(path: workspace.database)
        let changed = after.differences(from: before)
        #expect(changed.contains("contacts") && changed.contains("import_log"), "\(changed)")
        #expect(!changed.contains("leads") && !changed.contains("campaign_members"), "\(changed)")
        #expect(after.count("contacts") == before.count("contacts") + 1)
        #expect(after.lines.contains { $0.hasPrefix("contacts: ") && $0.contains("new@example.com") })
        // A dump of some tables holds exactly those tables' rows.
        #expect(try DatabaseDump(path: workspace.database, only: ["leads"]).lines == before.lines.filter { $0.hasPrefix("leads: ") })
    }
}
