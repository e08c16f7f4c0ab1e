import Catalogue
import Foundation
import Ingest
import Persistence

/// A fresh replica in its own temporary directory, with helpers to write export files beside it
/// and to look at what the loader stored.
final class LoaderFixture {
    let directory: URL
    let db: Database
    let loader: Loader

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = try Database(path: directory.appendingPathComponent("replica.sqlite").path)
        loader = Loader(db: db)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `text` (as UTF-8) to `name` in the fixture's directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func load(_ path: String, _ options: LoadOptions = LoadOptions()) throws -> FileReport {
        try loader.load(path: path, options: options)
    }

    /// Writes and loads a file in one step.
    func load(_ name: String, _ text: String, _ options: LoadOptions = LoadOptions()) throws -> FileReport {
        try load(try write(name, text), options)
    }

    /// The load error a file raises (nil when it loads).
    func loadError(_ path: String, _ options: LoadOptions = LoadOptions()) -> LoadError? {
        do {
            _ = try load(path, options)
            return nil
        } catch let error as LoadError {
            return error
        } catch {
            return .storage(path: path, reason: "unexpected error type: \(error)")
        }
    }

    var store: RecordStore { RecordStore(db: db) }

    func record(_ id: String) throws -> StoredRecord? { try store.find(id: id) }

    func count(_ table: String) throws -> Int { try db.scalarInt("SELECT count(*) FROM \(table)") }

    /// Every row of every table except the import log (which grows by one row per load), as text,
    /// in a stable order: two equal dumps mean the loads left the same content.
    func dump() throws -> [String] {
        let tables = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('import_log', 'sqlite_sequence') ORDER BY name")
            .rows { $0.text(0) ?? "" }
        var lines: [String] = []
        for table in tables {
            let rows = try db.statement("SELECT * FROM \(table)").rows { row in
                (0..<row.columnCount).map { "\(row.value($0))" }.joined(separator: "|")
            }
            lines += rows.sorted().map { "\(table): \($0)" }
        }
        return lines
    }
}

extension LoadOptions {
    static func module(_ module: Module) -> LoadOptions { LoadOptions(module: module) }
}
