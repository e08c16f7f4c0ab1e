import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Storage

/// What `serve --upstream` does with each real answer, on the writer's lane so that the log's
/// order, the shadow's predictions and the followed writes are one sequence.
extension Writer {
    /// Logs the call, then (for a write) predicts it with `--shadow` from the state before it,
    /// then applies the real outcome with `--follow`. `upstream` is nil for a call that never got
    /// a real answer (a fault): it is logged, and neither compared nor followed.
    func observe(_ request: APIRequest, target: String, status: Int, answer: JSONValue?, log: RequestLog?,
                 upstream: Upstream?, tally: ShadowTally) async throws {
        try await lane.run { [self] in
            // The log line first, whole, in one write: a crash later loses nothing from it.
            try log?.append(request: request, target: target, status: status, response: answer)
            let call = tally.nextCall()
            guard let upstream, upstream.shadow || upstream.follow, ["POST", "PUT", "DELETE"].contains(request.method),
                  let (replica, session) = open else { return }
            try replica.refresh(session, asOf: configuration.now(), overrides: configuration.overrides)
            let refusal = Refusal(status: status, response: answer)
            if upstream.shadow {
                tally.report(call: call, source: "\(request.method) \(target)", predicted: try predict(request, replica: replica, session: session),
                             real: answer, refusal: refusal)
            }
            // A call refused whole wrote nothing in Zoho, so nothing is applied here either.
            if upstream.follow, refusal == nil, let answer {
                try replica.db.write { try Follower(store: session.store, now: configuration.now()).apply(request, answer: answer) }
            }
        }
    }

    /// The replica's answer to the call, rolled back: the same `Session.handle` as `serve` and
    /// `replay`. Nil when the replica does not model the call.
    private func predict(_ request: APIRequest, replica: ReplicaService, session: Session) throws -> JSONValue? {
        session.whatIf = false
        do {
            let result = try replica.perform(session, commit: false) { try session.handle(request) }
            return result.skipped == nil ? result.body : nil
        } catch let error as APIRequestError {
            return Self.answer(error).body
        }
    }
}

/// `--shadow`'s running count, printed on stderr after every compared call. Touched only on the
/// writer's lane.
final class ShadowTally: @unchecked Sendable {
    private var calls = 0
    private var compared = 0
    private var items = 0
    private var differing = 0

    /// The call's number: its line in the log, as `replay --compare` numbers requests.
    func nextCall() -> Int {
        calls += 1
        return calls
    }

    /// Prints where the prediction differs from the real answer, in `replay --compare`'s words.
    func report(call: Int, source: String, predicted: JSONValue?, real: JSONValue?, refusal: Refusal?) {
        var lines: [String] = []
        if let refusal {
            lines.append("shadow: request \(call) (\(source)): refused whole upstream (\(refusal)), nothing to compare")
        } else if let predicted, let real {
            let differences = Comparison.differences(predicted: predicted, real: real, request: call - 1, source: source)
            compared += 1
            items += max(Comparison.items(predicted).count, Comparison.items(real).count)
            differing += Set(differences.map { $0.item ?? -1 }).contains(-1)
                ? Comparison.items(real).count : Set(differences.compactMap(\.item)).count
            lines += differences.map { "shadow: \($0)" }
        } else {
            lines.append("shadow: request \(call) (\(source)): \(predicted == nil ? "not modelled by the replica" : "no real answer body"), nothing to compare")
        }
        lines.append("shadow: \(compared) call\(compared == 1 ? "" : "s") compared, \(items) item\(items == 1 ? "" : "s"), \(differing) differ from the real answers")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// `--follow`: applies what Zoho really did, as its answer reports it, so that the replica stays
/// a copy of the org. Created records get the ids Zoho gave them; each record Zoho reports
/// written gets the fields the call sent; deletions, restores and memberships follow the items
/// Zoho answered `success`. Items Zoho refused change nothing.
struct Follower {
    let store: RecordStore
    let now: Date

    func apply(_ request: APIRequest, answer: JSONValue) throws {
        let items = Comparison.items(answer)
        func succeeded(_ item: JSONValue) -> Bool { item["status"]?.stringValue == "success" }
        switch Route.of(request) {
        case .records(let module, let operation, let pathID):
            let sent = try RecordsRequest.parse(request.body, module: module, operation: operation, pathID: pathID)
            for (record, item) in zip(sent.records, items) where succeeded(item) {
                guard let details = item["details"], let id = RecordID.from(details["id"]) else { continue }
                var written = record
                written["id"] = .string(id)
                for key in ["Created_Time", "Modified_Time", "Created_By", "Modified_By"] {
                    if let value = details[key] { written[key] = value }
                }
                try store.put(written, module: module)
            }
        case .delete(let module, _):
            for item in items where succeeded(item) {
                guard let id = RecordID.from(item["details"]?["id"]) else { continue }
                try store.moveToBin(module: module, id: id, deletion: Deletion(time: Timestamps.format(now)))
            }
        case .restore:
            for item in items where succeeded(item) {
                guard let id = RecordID.from(item["details"]?["id"]) else { continue }
                _ = try store.restoreFromBin(id: id)
            }
        case .related(let owner, let ownerID, let related, let relatedID, let unlink):
            let membership = try MembershipRequest.parse(request.body, owner: owner, ownerID: ownerID, related: related, relatedID: relatedID,
                                                         unlink: unlink, queryIDs: request.queryValue("ids"))
            let members = CampaignMembers(db: store.db)
            let time = Timestamps.format(now)
            for (pair, item) in zip(membership.pairs, items) where succeeded(item) {
                guard let campaign = pair.campaignID, let member = pair.memberID else { continue }
                if unlink {
                    try members.remove(campaign: campaign, module: pair.memberModule, member: member)
                } else {
                    let added = try members.row(campaign: campaign, module: pair.memberModule, member: member)?.addedTime ?? time
                    try members.put(campaign: campaign, module: pair.memberModule, member: member,
                                    .init(status: pair.status, addedTime: added, modifiedTime: time))
                }
            }
        case .unsupported:
            break
        }
    }
}
