import ArgumentParser
import Foundation
import SampleData

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a made-up org export of any size, in Zoho's file shapes.",
        discussion: """
            Writes a Contacts UI export (and an older one holding the since-deleted contacts), Leads \
            as API pages (NDJSON above 2,000), the field metadata, the Leads duplicate-check \
            preference, the deleted-records list, Campaigns and campaign members, with realistic \
            duplicates: case twins, near misses, recycle-bin rows. The same seed writes the same \
            bytes. Load the result with `crm-replica load DIR/*`. With --story, writes the demo's \
            own sample org and batches (the files of Samples/) instead.
            """)

    @Option(help: "How many Contacts to write.")
    var contacts: Int?

    @Option(help: "How many Leads to write (default 0).")
    var leads: Int?

    @Option(help: "The folder to write into; created when missing.")
    var out: String

    @Option(help: "The seed: the same seed writes the same bytes.")
    var seed: UInt64 = 1

    @Flag(help: "Write into a folder that is not empty, replacing files of the same names.")
    var force = false

    @Flag(help: "Write the demo's sample org and batches (zoho-org/ and batches/) instead of a generated org.")
    var story = false

    func validate() throws {
        if story {
            if contacts != nil || leads != nil { throw ValidationError("--story writes the fixed sample org; leave out --contacts and --leads") }
            return
        }
        guard let contacts else { throw ValidationError("give the number of contacts: --contacts N") }
        if contacts < 1 { throw ValidationError("--contacts must be at least 1 (got \(contacts))") }
        if let leads, leads < 0 { throw ValidationError("--leads must be 0 or more (got \(leads))") }
    }

    func run() throws {
        try runReporting {
            let folder = URL(fileURLWithPath: out, isDirectory: true)
            if !force, try holdsFiles(folder) { throw SampleError.notEmpty(out) }
            if story {
                try SampleStory.write(to: folder)
                print("wrote the sample org to \(out)/\(SampleStory.orgFolder) and its batches to \(out)/\(SampleStory.batchesFolder)")
                return
            }
            let names = try SampleGenerator(seed: seed).write(contacts: contacts ?? 0, leads: leads ?? 0, to: folder)
            print("wrote \(names.count) files to \(out) (seed \(seed)): \(names.joined(separator: ", "))")
            print("load them with: crm-replica load \(out)/*")
        }
    }

    /// True when `folder` exists and has anything in it; a plain file in its place is an error.
    private func holdsFiles(_ folder: URL) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else { throw ValidationError("\(out) is a file, not a folder") }
        return try !FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty
    }
}
