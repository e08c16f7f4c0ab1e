import Foundation

/// Where the demo's samples are.
public enum SampleLocation: Equatable, Sendable {
    /// A `Samples` folder holding `zoho-org/` and `batches/`.
    case folder(URL)
    /// No folder found: the copy compiled into the binary.
    case embedded

    /// The samples as files: the folder itself, or the embedded copy written under `scratch`.
    public func files(scratch: URL) throws -> SampleFolder {
        switch self {
        case .folder(let root):
            return SampleFolder(root: root)
        case .embedded:
            try EmbeddedSamples.write(to: scratch)
            return SampleFolder(root: scratch)
        }
    }
}

/// A `Samples` folder, as paths the loader and the replay read.
public struct SampleFolder: Equatable, Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// Every file of `zoho-org`, in name order (what `load Samples/zoho-org/*` passes).
    public func orgFiles() throws -> [URL] {
        let folder = root.appendingPathComponent(SampleStory.orgFolder, isDirectory: true)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { folder.appendingPathComponent($0) }
    }

    public var upsertBatch: URL { batch(SampleStory.upsertBatch) }
    public var membershipRequests: URL { batch(SampleStory.membershipRequests) }

    private func batch(_ name: String) -> URL {
        root.appendingPathComponent(SampleStory.batchesFolder, isDirectory: true).appendingPathComponent(name)
    }
}

/// Finds the samples: `./Samples` (a `swift run` from the repository root), then a `Samples`
/// folder beside the executable (an installed copy), else the embedded copy, so that the
/// demo always has its story.
public enum SampleLocator {
    public static func find(currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                            executable: URL? = Bundle.main.executableURL) -> SampleLocation {
        var candidates = [currentDirectory.appendingPathComponent("Samples", isDirectory: true)]
        if let executable {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("Samples", isDirectory: true))
        }
        return candidates.first(where: holdsSamples).map(SampleLocation.folder) ?? .embedded
    }

    /// A folder counts when it has the org folder and the upsert batch.
    static func holdsSamples(_ root: URL) -> Bool {
        var isDirectory: ObjCBool = false
        let org = root.appendingPathComponent(SampleStory.orgFolder).path
        return FileManager.default.fileExists(atPath: org, isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.fileExists(atPath: SampleFolder(root: root).upsertBatch.path)
    }
}
