import Catalogue
import Foundation

/// One sample file: the folder it belongs in (`zoho-org` or `batches`), its name and bytes.
public struct SampleFile: Equatable, Sendable {
    public let folder: String
    public let name: String
    public let bytes: [UInt8]

    public init(folder: String, name: String, bytes: [UInt8]) {
        self.folder = folder
        self.name = name
        self.bytes = bytes
    }
}

/// The demo's story, the files of `Samples/`: a team upserts 100 brand-new contacts from a
/// webinar signup with `duplicate_check_fields: ["Email"]`, and about a third fail with
/// `DUPLICATE_DATA` although nobody finds those emails in the CRM. `StoryOrg` builds the org
/// and the batches so that each cause and each surprise is planted on purpose; the files in
/// `Samples/` are its output (regenerate them with `crm-replica sample --story --out Samples --force`).
public enum SampleStory {
    /// The org export: load every file, in any order, with `crm-replica load Samples/zoho-org/*`.
    public static let orgFolder = "zoho-org"
    /// The batch and the membership calls that follow it.
    public static let batchesFolder = "batches"
    public static let upsertBatch = "campaign-upsert.json"
    public static let membershipRequests = "campaign-members.ndjson"

    /// The webinar campaign the batch signs people up for.
    public static let campaignID = StoryOrg.webinar.id

    /// When the org was exported. Replays of the sample should use it as the engine's reference
    /// date (`Session(asOf:)`): the recycle-bin rows were deleted in the weeks before it and
    /// would count as purged (over 60 days old) against a much later clock.
    public static let referenceDate = Date(timeIntervalSince1970: Double(SampleOrgClock.exported))

    /// Every file of the story, org files first, each folder in name order.
    public static func files() -> [SampleFile] { StoryOrg().files() }

    /// Writes `root/zoho-org/…` and `root/batches/…`.
    public static func write(to root: URL) throws {
        try SampleFiles.write(files(), to: root)
    }
}

/// Writing a set of sample files under a root folder.
enum SampleFiles {
    static func write(_ files: [SampleFile], to root: URL) throws {
        for file in files {
            let folder = root.appendingPathComponent(file.folder, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileSink.write(file.bytes, to: folder.appendingPathComponent(file.name))
        }
    }
}
