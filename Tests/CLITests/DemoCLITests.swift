import Foundation
import TestSupport
import Testing

/// `demo`, the README's first command, through the built binary.
@Suite("CLI: demo")
struct DemoCLITests {
    @Test func demoTellsTheSeedsStoryFromTheRepository() throws {
        let result = try CLI.run(["demo"], in: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("Samples: \(CLI.packageRoot.appendingPathComponent("Samples").path)"))
        let summary = try #require(text.split(separator: "\n").first { $0.contains("Zoho would answer:") })
        let failed = try #require(summary.firstMatch(of: /DUPLICATE_DATA (\d+)/).flatMap { Int($0.1) })
        #expect((30...40).contains(failed), "\(summary)")
        for cause in ["Email is held by several Contacts", "Phone is unique and held by several Contacts",
                      "but its unique Phone belongs to another"] {
            #expect(text.contains(cause), "missing cause: \(cause)")
        }
        #expect(text.contains("recycle_bin_counts=false"))
        #expect(text.contains("a near miss"))
        #expect(text.contains("found through the unique Phone"))
        #expect(text.contains("With recycle_bin_counts=true"))
        #expect(text.contains("With match=unicode"))
        #expect(text.contains("relation added") || text.contains("added"))
        #expect(text.contains("is in the recycle bin"))
    }

    /// From another folder there is no ./Samples: the copy built into the binary tells the same story.
    @Test func demoUsesTheEmbeddedSamplesElsewhereAndKeepsTheDatabaseWhenAsked() throws {
        let workspace = try Workspace()
        let kept = workspace.directory.appendingPathComponent("demo.sqlite").path
        let result = try CLI.run(["demo", "--db", kept], in: workspace.directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("the copy built into this binary"))
        #expect(result.stdout.contains("38 failed (DUPLICATE_DATA 35, 2 of them inside 1 MULTIPLE_OR_MULTI_ERRORS; INVALID_DATA 4)"))
        #expect(FileManager.default.fileExists(atPath: kept))
        let stats = try CLI.run(["stats", "--json", "--db", kept], in: workspace.directory)
        #expect(stats.stdout.contains("\"Contacts\":250"))
        let again = try CLI.run(["demo", "--db", kept], in: workspace.directory)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
    }
}
