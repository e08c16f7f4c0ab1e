import Catalogue
import Foundation
import Ingest
import Persistence
import Storage
import TestSupport

/// A fresh replica in its own temporary directory, with helpers to write export files beside it
/// (`ScratchDirectory.write`) and to look at what the loader stored.
final class LoaderFixture: ScratchDatabase {
    private(set) lazy var loader = Loader(db: db)

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

    /// Every row of every table except the import log (which grows by one row per load): two
    /// equal dumps mean the loads left the same content.
    override func dump() throws -> [String] { try DatabaseDump(db, excluding: ["import_log", "sqlite_sequence"]).lines }
}

extension LoadOptions {
    static func module(_ module: Module) -> LoadOptions { LoadOptions(module: module) }
}
