import Catalogue
import Engine
import Formats
import Foundation
import Persistence
import Storage

/// The `GET` calls, on a read-only connection of their own: they run beside the writer (SQLite's
/// WAL lets a reader see the last commit while a write is under way), one at a time on their
/// lane. SQL is Storage's (`RecordQueries`, the catalogue, the preference); this renders it.
final class Reader: @unchecked Sendable {
    private let lane = Lane(label: "crm-replica.reader")
    /// The connection and its session (the catalogue caches), until `close()`.
    private var open: (replica: ReplicaService, session: Session)?
    private let configuration: ServerConfiguration

    init(configuration: ServerConfiguration) throws {
        self.configuration = configuration
        let replica = try ReplicaService(path: configuration.databasePath, access: .read)
        open = (replica, replica.session(settings: try replica.settings(overrides: configuration.overrides), asOf: configuration.now()))
    }

    /// Closes the connection once the reads before it on the lane are done (before the writer's).
    func close() async {
        _ = try? await lane.run { [self] in open = nil }
    }

    /// Runs `body` on the lane with the catalogue caches fresh (a `load` by another process since
    /// the last request is seen).
    func read(_ body: @escaping @Sendable (ReadContext) throws -> ServerAnswer) async throws -> ServerAnswer {
        try await lane.run { [self] in
            guard let (replica, session) = open else { throw ServerError.closed }
            try replica.refresh(session, asOf: configuration.now(), overrides: configuration.overrides)
            do {
                return try body(ReadContext(db: replica.db, store: session.store, settings: session.settings, asOf: configuration.now()))
            } catch let error as AnswerError {
                return error.answer
            }
        }
    }
}

/// What a read sees: the connection, its catalogue cache and the clock.
struct ReadContext {
    let db: Database
    let store: RecordStore
    /// The stored settings with `--set` over them.
    let settings: Settings
    let asOf: Date
    var queries: RecordQueries { RecordQueries(db: db) }
}
