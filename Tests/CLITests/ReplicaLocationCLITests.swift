import Foundation
import TestSupport
import Testing

/// Where the replica is, and what a command does when it is not there: only the commands that
/// build a replica create one; the others refuse with the same message and create nothing.
@Suite("CLI: the replica's location")
struct ReplicaLocationCLITests {
    static let contacts = """
        Record Id,Last Name,Email,Created Time
        5725767000000100001,Lee,ann@example.com,2025-01-01T00:00:00+00:00

        """
    static let batch = #"{"data":[{"Last_Name":"New","Email":"ann@example.com"}]}"#

    @Test(arguments: [
        ["stats"], ["show", "5725767000000100001"], ["settings"], ["settings", "match"], ["settings", "--reset", "match"],
        ["why", "ann@example.com"], ["why", "ann@example.com", "--batch", "BATCH", "--row", "0"],
        ["replay", "BATCH", "--module", "Contacts"], ["replay", "BATCH", "--module", "Contacts", "--commit"],
    ])
    func aMissingReplicaIsRefusedAndNotCreated(_ arguments: [String]) throws {
        let workspace = try Workspace()
        let batch = try workspace.write("batch.json", Self.batch)
        let outcome = try workspace.run(arguments.map { $0 == "BATCH" ? batch : $0 })
        #expect(outcome.status == 2, "\(arguments): \(outcome.stdout)")
        #expect(outcome.stderr.contains("\(workspace.database) does not exist; load an export first"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.database))
    }

    @Test func loadAndSettingsKeyValueCreateTheReplica() throws {
        let workspace = try Workspace()
        let stored = try workspace.run(["settings", "match", "unicode"])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace.database))
        let other = try Workspace()
        try other.load("Contacts.csv", Self.contacts)
        #expect(try other.run(["stats"]).status == 0)
    }

    @Test func anEmptyEnvironmentVariableOrAFolderIsNamedInOurWords() throws {
        let workspace = try Workspace()
        var environment = ProcessInfo.processInfo.environment
        environment["CRM_REPLICA_DB"] = ""
        let empty = try CLI.run(["load", try workspace.write("Contacts.csv", Self.contacts)], in: workspace.directory, environment: environment)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("CRM_REPLICA_DB is set but empty"), "\(empty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("crm-replica.sqlite").path))

        let folder = workspace.directory.appendingPathComponent("replicas").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for arguments in [["load", workspace.directory.appendingPathComponent("Contacts.csv").path], ["stats"]] {
            let outcome = try CLI.run(arguments + ["--db", folder], in: workspace.directory)
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("\(folder) is a folder, not a database file"), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains("disk I/O") && !outcome.stderr.contains("WAL"))
        }
        let nowhere = workspace.directory.appendingPathComponent("no-such-folder/replica.sqlite").path
        let outcome = try CLI.run(["load", workspace.directory.appendingPathComponent("Contacts.csv").path, "--db", nowhere], in: workspace.directory)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("the folder \(workspace.directory.path)/no-such-folder does not exist"), "\(outcome.stderr)")
    }

    @Test func anEmptyReplicaIsWarnedAbout() throws {
        let workspace = try Workspace()
        #expect(try workspace.run(["settings", "match", "nocase"]).status == 0)
        let why = try workspace.run(["why", "ann@example.com"])
        #expect(why.status == 0, "\(why.stderr)")
        #expect(why.stderr.contains("holds no records, so every value looks new"), "\(why.stderr)")
        let replay = try workspace.run(["replay", try workspace.write("batch.json", Self.batch), "--module", "Contacts"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("the replica \(workspace.database) holds no records"), "\(replay.stderr)")
    }

    @Test func replayWarnsForEachWrittenModuleWithoutFieldMetadata() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", Self.contacts)
        let log = try workspace.write("log.ndjson", """
            {"method":"POST","path":"/crm/v8/Leads","body":{"data":[{"Last_Name":"A","Email":"a@example.com"}]}}
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"B","Email":"b@example.com"}]}}

            """)
        let without = try workspace.run(["replay", log])
        #expect(without.status == 0, "\(without.stderr)")
        #expect(without.stderr.contains("no field metadata is loaded for Contacts"), "\(without.stderr)")
        #expect(without.stderr.contains("no field metadata is loaded for Leads"), "\(without.stderr)")
        try workspace.load("Contacts_fields.json", """
            {"fields":[{"api_name":"Email","field_label":"Email","data_type":"email","unique":{"case_sensitive":false}}]}
            """)
        let with = try workspace.run(["replay", log])
        #expect(!with.stderr.contains("for Contacts"), "\(with.stderr)")
        #expect(with.stderr.contains("no field metadata is loaded for Leads"), "\(with.stderr)")
    }

    @Test func whyWarnsWhenTheModulesFieldMetadataIsMissing() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", Self.contacts)
        let without = try workspace.run(["why", "ann@example.com", "--field", "Phone"])
        #expect(without.status == 0, "\(without.stderr)")
        #expect(without.stderr.contains("no field metadata is loaded for Contacts"), "\(without.stderr)")
        #expect(without.stderr.contains("settings/fields?module=Contacts"))
        try workspace.load("Contacts_fields.json", """
            {"fields":[{"api_name":"Email","field_label":"Email","data_type":"email","unique":{"case_sensitive":false}}]}
            """)
        let with = try workspace.run(["why", "ann@example.com"])
        #expect(!with.stderr.contains("no field metadata"), "\(with.stderr)")
    }
}

/// `settings` and `show` as a user types them.
@Suite("CLI: settings and show")
struct SettingsShowCLITests {
    @Test func resetForgetsStoredValuesAndChangedValuesAreMarked() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", ReplicaLocationCLITests.contacts)
        #expect(try workspace.run(["settings", "match", "unicode"]).status == 0)
        #expect(try workspace.run(["settings", "multi_match", "oldest"]).status == 0)
        let shown = try workspace.run(["settings"])
        let match = try #require(shown.lines.first { $0.contains(" match ") })
        #expect(match.hasPrefix("*") && match.contains("default nocase"), "\(match)")
        let rerelate = try #require(shown.lines.first { $0.contains(" rerelate ") })
        #expect(rerelate.hasPrefix(" "), "\(rerelate)")

        let one = try workspace.run(["settings", "--reset", "match"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(try workspace.run(["settings", "match", "--json"]).stdout == #"{"match":"nocase"}"# + "\n")
        #expect(try workspace.run(["settings", "multi_match", "--json"]).stdout == #"{"multi_match":"oldest"}"# + "\n")
        #expect(try workspace.run(["settings", "--reset"]).status == 0)
        #expect(try workspace.run(["settings", "multi_match", "--json"]).stdout == #"{"multi_match":"error"}"# + "\n")
        #expect(try workspace.run(["settings", "--reset", "nonsense"]).status == 2)
    }

    @Test func aNegativeNumberReachesTheSettingsOwnCheck() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", ReplicaLocationCLITests.contacts)
        let outcome = try workspace.run(["settings", "batch_limit", "-5"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("'-5' is not a value of batch_limit"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("Unknown option"))
        #expect(try workspace.run(["settings", "batch_limit", "--json"]).stdout == #"{"batch_limit":100}"# + "\n")
    }

    @Test func showTakesTheIdAsUIExportsPrintIt() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", ReplicaLocationCLITests.contacts)
        let outcome = try workspace.run(["show", "zcrm_5725767000000100001", "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect((outcome.json?["record"] as? [String: Any])?["Email"] as? String == "ann@example.com")
    }
}
