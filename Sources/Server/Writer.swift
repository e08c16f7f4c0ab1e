import Engine
import Formats
import Foundation

/// The one writer: every record call goes through `Session.handle`, the evaluator `replay` runs,
/// under `ReplicaService`'s transaction policy, one request at a time on its lane. Each request
/// is its own IMMEDIATE transaction (committed, or rolled back with `--dry-run`), so a failing
/// request writes nothing and a second process's `load` is seen at the next request.
final class Writer: @unchecked Sendable {
    let lane = Lane(label: "crm-replica.writer")
    /// The connection and its session, until `close()`.
    var open: (replica: ReplicaService, session: Session)?
    let configuration: ServerConfiguration
    private let log: RequestLog?

    init(configuration: ServerConfiguration, log: RequestLog?) throws {
        self.configuration = configuration
        self.log = log
        let replica = try ReplicaService(path: configuration.databasePath, access: .write)
        let settings = try replica.settings(overrides: configuration.overrides)
        open = (replica, replica.session(settings: settings, asOf: configuration.now(), now: configuration.now))
    }

    /// Closes the connection once the requests before it on the lane are done. The writer closes
    /// last: the last connection to close checkpoints the WAL and removes it.
    func close() async {
        _ = try? await lane.run { [self] in open = nil }
    }

    /// Answers one write call; the log line is written on the lane, after the commit, so that the
    /// log's order is the order the requests were applied in (what makes a replay of it agree).
    func handle(_ request: APIRequest, target: String, explain: Bool) async throws -> ServerAnswer {
        try await lane.run { [self] in
            guard let (replica, session) = open else { throw ServerError.closed }
            try replica.refresh(session, asOf: configuration.now(), overrides: configuration.overrides)
            session.whatIf = explain
            let result: APIResult
            do {
                result = try replica.perform(session, commit: !configuration.dryRun) {
                    try session.handle(request, depth: explain ? .full : .decision)
                }
            } catch let error as APIRequestError {
                return Self.answer(error)
            }
            if let skipped = result.skipped { return ServerAnswer.unsupported(skipped) }
            let body = explain ? VerdictJSON.explained(result.body, items: result.items, settings: session.settings) : result.body
            try log?.append(request: request, target: target, status: result.status, response: result.body)
            return ServerAnswer(status: result.status, body: body)
        }
    }

    /// A body that is JSON but not the call's shape: 400 INVALID_DATA naming the JSON path.
    static func answer(_ error: APIRequestError) -> ServerAnswer {
        switch error {
        case .malformedBody(let path, let expected):
            return .error(400, .invalidData, message: "invalid data: \(path): expected \(expected)",
                          details: ["json_path": .string(path), "expected": .string(expected)])
        }
    }
}

enum ServerError: Error, CustomStringConvertible {
    case closed

    var description: String {
        switch self {
        case .closed: return "the server is shutting down"
        }
    }
}
