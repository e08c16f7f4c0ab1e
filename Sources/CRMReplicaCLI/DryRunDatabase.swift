import Persistence

extension CommonOptions {
    /// The database for a dry run (`replay` without `--commit`, `why --batch`): the file itself,
    /// or, while another process is writing it (a long `load`), an in-memory copy of its last
    /// committed state, so that the dry run answers at once from that state instead of waiting
    /// for the writer and failing with "database is busy". A dry run writes nothing either way.
    func openForDryRun() throws -> Database {
        let db = try open()
        guard try db.isWriteLocked() else { return db }
        return try Database(path: databasePath, mode: .readOnly).memoryCopy()
    }
}
