import Foundation

/// A temporary directory that lives as long as the test holding it: every fixture starts from
/// one, so that tests never share files and never leave any behind.
open class ScratchDirectory {
    public let directory: URL

    public convenience init() throws {
        self.init(directory: try Self.makeTemporaryDirectory())
    }

    init(directory: URL) { self.directory = directory }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static func makeTemporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-replica-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Where the replica database of this directory lives (it need not exist yet).
    public var database: String { path("replica.sqlite") }

    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` (as UTF-8) to `name` in this directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
