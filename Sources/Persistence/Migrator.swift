import Migrations

/// Applies the numbered files of `Migrations/` in order, tracked by `PRAGMA user_version`
/// (transactional, so a failed migration leaves schema and version as they were).
enum Migrator {
    static var latest: Int { SchemaMigrations.all.last?.version ?? 0 }

    static func version(_ db: Database) throws -> Int { try db.scalarInt("PRAGMA user_version") }

    static func checkNotNewer(_ db: Database) throws {
        let found = try version(db)
        if found > latest { throw PersistenceError.newerSchema(path: db.path, found: found, supported: latest) }
    }

    /// A read-only connection cannot migrate: an older file must be opened read-write once.
    static func checkCurrent(_ db: Database) throws {
        let found = try version(db)
        if found < latest {
            throw DatabaseError(code: .readonly, message: "\(db.path) uses schema \(found); run one writing command on it (for example `crm-replica settings`) to upgrade it to schema \(latest)")
        }
    }

    static func migrate(_ db: Database) throws {
        guard try version(db) < latest else { return }
        try db.write {
            let current = try version(db)
            for migration in SchemaMigrations.all where migration.version > current {
                try db.execute(migration.sql)
                // PRAGMA takes no bound parameters; the version is our own integer.
                try db.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}

extension Database {
    /// The schema version this file is at.
    public var schemaVersion: Int { get throws { try Migrator.version(self) } }
    /// The newest schema version this build knows.
    public static var latestSchemaVersion: Int { Migrator.latest }
}
