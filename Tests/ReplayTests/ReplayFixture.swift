import Catalogue
import Engine
import Formats
import Foundation
import Persistence
import Replay
import Storage
import TestSupport
import Testing

/// A replica in a temporary directory (`ScratchOrg` writes the org), with helpers to write the
/// input files a test needs and to replay them with a fixed clock.
final class ReplayOrg: ScratchOrg {
    static let now = referenceDate

    /// Writes an input file and returns its path.
    func file(_ name: String, _ text: String) throws -> String { try write(name, text) }

    func replayer(_ assignments: String...) throws -> Replayer {
        Replayer(db: db, settings: try Replayer.settings(db, overrides: assignments), asOf: Self.now, now: { Self.now })
    }

    func read(_ paths: [String], _ options: ReadOptions = ReadOptions()) throws -> ReplayInput {
        try ReplayReader(options: options, store: store).read(paths: paths)
    }

    func replay(_ paths: [String], _ options: ReadOptions = ReadOptions(), settings: [String] = [], commit: Bool = false,
                explain: Bool = false) throws -> ReplayReport {
        let replayer = Replayer(db: db, settings: try Settings(assignments: settings), asOf: Self.now, now: { Self.now })
        return try replayer.run(try read(paths, options), commit: commit, explain: explain)
    }
}

/// The one check every dry-run test makes: the full dump of every table is identical before
/// and after `body`, whatever the replay wrote while it ran.
@discardableResult
func assertDryRunLeavesDatabaseUnchanged<T>(_ org: ReplayOrg, sourceLocation: SourceLocation = #_sourceLocation,
                                            _ body: () throws -> T) throws -> T {
    let before = try org.dump()
    let result = try body()
    let after = try org.dump()
    #expect(before == after, "the dry run changed the database", sourceLocation: sourceLocation)
    return result
}

extension ReadOptions {
    static func payload(_ module: Module, _ operation: WriteOperation = .upsert) -> ReadOptions {
        var options = ReadOptions()
        options.module = module
        options.operation = operation
        return options
    }

    static func bulk(_ operation: WriteOperation, findBy: String?, ignoreEmpty: Bool = false, batchLimit: Int = 100) -> ReadOptions {
        var options = ReadOptions.payload(.contacts, operation)
        options.findBy = findBy
        options.ignoreEmpty = ignoreEmpty
        options.batchLimit = batchLimit
        return options
    }
}

extension ReplayedItem {
    var json: JSONValue { result.item }
    var code: String { result.code.rawValue }
    var duplicateID: String? { json["details"]?["duplicate_record"]?["id"]?.stringValue }
    var recordID: String? { json["details"]?["id"]?.stringValue }
}
