import Catalogue
import Foundation
import Persistence
import Storage

/// The replica as every front end uses it (`replay`, `why`, `demo`, and the coming HTTP server):
/// which connection answers, which settings are in force, and what becomes of a unit of work's
/// writes. These decisions used to be made three ways in three places; a server would have
/// made a fourth, so they live here once.
public final class ReplicaService {
    /// How a front end means to use the replica.
    public enum Access: Sendable {
        /// Questions only: a read-only connection, which never waits on a running load.
        case read
        /// Writes that are rolled back: the file itself, or, while another process holds its write
        /// lock (a long `load`), an in-memory copy of its last committed state, so that the dry run
        /// answers at once instead of failing with "database is busy". It writes nothing either way.
        case dryRun
        /// Writes that are kept.
        case write
        /// Writes that are rolled back, in a deferred transaction on the file itself, so that
        /// several such connections run dry runs side by side (`calibrate`). Meant for units of
        /// work whose writes stay in memory (record calls); any other write takes the file's
        /// write lock until that run ends, so writing runs take turns rather than fail.
        case sharedDryRun
    }

    public let db: Database
    /// The file as the user named it (a dry run may read an in-memory copy of it).
    public let path: String
    /// SQLite's `data_version` when the catalogue caches were last known to be fresh.
    private var seenVersion: Int?
    private var sharedDryRun = false

    /// Opens the replica at `path`, which must exist unless `access` is `.write` (the callers
    /// that may create a replica decide that before asking).
    public init(path: String, access: Access) throws {
        self.path = path
        switch access {
        case .read:
            db = try Database(path: path, mode: .readOnly)
        case .write:
            db = try Database(path: path, mode: .readWrite)
        case .dryRun:
            guard FileManager.default.fileExists(atPath: path) else { throw PersistenceError.readOnlyMissing(path: path) }
            let file = try Database(path: path, mode: .readWrite)
            db = try file.isWriteLocked() ? try Database(path: path, mode: .readOnly).memoryCopy() : file
        case .sharedDryRun:
            guard FileManager.default.fileExists(atPath: path) else { throw PersistenceError.readOnlyMissing(path: path) }
            db = try Database(path: path, mode: .readWrite)
            sharedDryRun = true
        }
    }

    /// Wraps an open connection (tests, and callers that opened the file themselves).
    public init(db: Database) {
        self.db = db
        path = db.path
    }

    /// The settings stored in the replica, with `KEY=VALUE` overrides applied for this run only.
    public func settings(overrides: [String] = []) throws -> Settings {
        var settings = try Settings.load(db)
        for assignment in overrides { try settings.apply(assignment: assignment) }
        return settings
    }

    /// A session that writes through this replica's connection.
    public func session(settings: Settings, asOf: Date = Date(), now: @escaping () -> Date = Date.init) -> Session {
        Session(db: db, settings: settings, asOf: asOf, now: now)
    }

    /// Runs `body`, a unit of work of `session`, under the replica's transaction policy. Record
    /// writes are deferred (kept in memory and consulted by every lookup); a dry run rolls
    /// everything back and never writes them at all; a commit writes each record once at the end,
    /// then runs `beforeCommit` (the import log) in the same transaction. A thrown error rolls
    /// back whatever was written.
    public func perform<T>(_ session: Session, commit: Bool, _ body: () throws -> T,
                           beforeCommit: (T) throws -> Void = { _ in }) throws -> T {
        let store = session.store
        store.deferWrites = true
        defer { store.discardPending(); store.deferWrites = false }
        guard commit else { return try sharedDryRun ? db.sharedDryRun(body) : db.dryRun(body) }
        return try db.write {
            let result = try body()
            try store.flush()
            try beforeCommit(result)
            return result
        }
    }

    /// What makes this replica's answers about `modules` unreliable (no records; no field metadata).
    public func warnings(modules: [Module]) throws -> [ReplicaWarning] {
        try ReplicaWarning.check(db, modules: modules, path: path)
    }

    /// Readies a long-lived `session` for its next request: its clock moves to `asOf` (the
    /// recycle-bin window is measured from it), and when another process changed the database
    /// since the last request (a `load` or `settings` while a server runs), the catalogue caches
    /// are dropped and the settings read again (with `overrides` on top), so that new field
    /// metadata and settings are seen. Returns true when it re-read them.
    @discardableResult
    public func refresh(_ session: Session, asOf: Date = Date(), overrides: [String] = []) throws -> Bool {
        session.evaluator.asOf = asOf
        let version = try db.scalarInt("PRAGMA data_version")
        defer { seenVersion = version }
        guard let seenVersion, seenVersion != version else { return false }
        session.store.forgetCatalogues()
        session.settings = try settings(overrides: overrides)
        return true
    }
}
