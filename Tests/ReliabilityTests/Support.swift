import Foundation
import Persistence
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` through a fresh connection.
func integrityCheck(_ path: String) throws -> String {
    let db = try Database(path: path, mode: .readOnly)
    let result = try db.statement("PRAGMA integrity_check").rows { $0.text(0) ?? "" }.joined(separator: "; ")
    let foreignKeys = try db.statement("PRAGMA foreign_key_check").rows { _ in 1 }.count
    return foreignKeys == 0 ? result : result + "; \(foreignKeys) foreign key violations"
}

/// Expects a database dump identical to `before`.
func expectUnchanged(_ path: String, since before: DatabaseDump, _ context: @autoclosure () -> String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    let after = try DatabaseDump(path: path)
    #expect(after == before, "\(context()): the database changed in \(after.differences(from: before))",
            sourceLocation: sourceLocation)
}

/// Polls `condition` until it holds or `timeout` passes (a guard against hangs, not a measurement).
@discardableResult
func waitUntil(timeout: TimeInterval = 120, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        usleep(5_000)
    }
    return true
}

/// Zoho-style 19-digit ids: `base + n`.
func zohoID(_ n: Int, base: Int = 5_725_767_000_100_000_000) -> String { String(base + n) }

/// A UI export CSV of `rows` contacts with ids `zohoID(start…)`, written in chunks so that a
/// large file costs little memory.
func writeContactsCSV(_ url: URL, rows: Int, start: Int = 0, base: Int = 5_725_767_000_100_000_000) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var chunk = "Record Id,First Name,Last Name,Email,Phone,Contact Owner\n"
    for n in start..<(start + rows) {
        chunk += "\(base + n),First\(n),Last\(n),person\(n)@example.com,+1 555 \(n),Pat Boyle\n"
        if chunk.utf8.count > 1 << 20 {
            try handle.write(contentsOf: Data(chunk.utf8))
            chunk = ""
        }
    }
    try handle.write(contentsOf: Data(chunk.utf8))
}

/// A small org every test can start from: three contacts, a lead, a campaign with a member and
/// a recycle-bin row, loaded through the binary.
enum SmallOrg {
    static let contacts = """
        Record Id,First Name,Last Name,Email,Secondary Email,Phone,Contact Owner
        5725767000000524157,Ann,Lee,ann@example.com,,+1 555 0100,Pat Boyle
        5725767000000524158,Bob,Ray,bob@example.com,bob.ray@example.org,+1 555 0101,Pat Boyle
        5725767000000524159,Cy,Doe,cy@example.com,,,Pat Boyle

        """
    static let leads = """
        Record Id,First Name,Last Name,Email,Company,Lead Owner
        5725767000000600001,Dee,Fox,dee@example.com,Acme,Pat Boyle

        """
    static let campaigns = #"{"data":[{"id":"5725767000002000001","Campaign_Name":"Spring"}]}"#
    static let members = """
        Campaign Id,Member Id,Member Module,Member Status
        5725767000002000001,5725767000000524157,Contacts,Invited

        """
    static let deleted = """
        {"data":[{"id":"5725767000000700001","display_name":"Old Contact","type":"recycle",
        "deleted_time":"2026-11-20T09:00:00+00:00","deleted_by":{"name":"Admin","id":"5725767000000411001"},
        "created_by":{"name":"Admin","id":"5725767000000411001"}}],"info":{"more_records":false}}
        """

    /// Loads the org into `workspace`'s database; returns the counts it should show.
    @discardableResult
    static func load(into workspace: Workspace, contacts withContacts: Bool = true,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int] {
        // In a directory of their own, so that a test's own `Contacts.csv` does not clash.
        try FileManager.default.createDirectory(atPath: workspace.path("org"), withIntermediateDirectories: true)
        let files = [
            try workspace.write("org/Contacts.csv", withContacts ? contacts : "Record Id,Last Name\n"),
            try workspace.write("org/Leads.csv", leads),
            try workspace.write("org/Campaigns.json", campaigns),
            try workspace.write("org/Campaign_Members.csv", members),
            try workspace.write("org/Contacts_deleted.json", deleted),
        ]
        try workspace.succeed(["load", "--quiet"] + files, sourceLocation: sourceLocation)
        return ["Contacts": withContacts ? 3 : 0, "Leads": 1, "Campaigns": 1, "campaign_members": 1, "recycle_bin": 1]
    }
}

/// `stats --json` as a dictionary of counts.
func stats(_ workspace: Workspace, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int]? {
    let outcome = try workspace.run(["stats", "--json"], sourceLocation: sourceLocation)
    #expect(outcome.status == 0, "stats: \(outcome)", sourceLocation: sourceLocation)
    return outcome.json?.compactMapValues { ($0 as? NSNumber)?.intValue }
}
