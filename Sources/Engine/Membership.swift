import Catalogue
import Formats
import Persistence
import Storage

/// One campaign–member pair a related-records call names.
public struct MembershipPair: Equatable, Sendable {
    public let campaignID: String?
    public let memberModule: Module
    public let memberID: String?
    public let status: String?
    /// The JSON path of the item, for errors.
    public let path: String
    /// The id the response item reports: the related record's.
    public let reportedID: String?
}

/// A related-records call on the Campaigns–Contacts/Leads relation (docs/rules.md#campaign-membership).
public struct MembershipRequest: Sendable {
    public let pairs: [MembershipPair]
    public let unlink: Bool

    /// `PUT /Campaigns/{id}/Contacts` with `{"data":[{"id","Member_Status"}]}`, the mirror
    /// `PUT /Contacts/{id}/Campaigns`, the single forms with the related id in the path, and
    /// `DELETE` with `?ids=`. Ids may be JSON strings or numbers; both are read exactly.
    public static func parse(_ body: JSONValue?, owner: Module, ownerID: String, related: Module, relatedID: String?,
                             unlink: Bool, queryIDs: String?) throws -> MembershipRequest {
        var items: [(id: String?, status: String?, path: String)] = []
        if let relatedID {
            items = [(relatedID, body?["data"]?.arrayValue?.first?["Member_Status"]?.stringValue, "$")]
        } else if unlink {
            let ids = (queryIDs ?? "").split(separator: ",").map(String.init)
            items = ids.enumerated().map { (RecordID.isValid($1) ? $1 : nil, nil, "ids[\($0)]") }
        } else {
            guard case .array(let data)? = body?["data"] else {
                throw APIRequestError.malformedBody(path: "$.data", expected: "an array of {\"id\", \"Member_Status\"} objects")
            }
            for (index, item) in data.enumerated() {
                guard case .object = item else {
                    throw APIRequestError.malformedBody(path: "$.data[\(index)]", expected: "an object with an id")
                }
                items.append((RecordID.from(item["id"]), item["Member_Status"]?.stringValue, "$.data[\(index)].id"))
            }
        }
        let pairs = items.map { item -> MembershipPair in
            if owner == .campaigns {
                return MembershipPair(campaignID: ownerID, memberModule: related, memberID: item.id, status: item.status,
                                      path: item.path, reportedID: item.id)
            }
            return MembershipPair(campaignID: item.id, memberModule: owner, memberID: ownerID, status: item.status,
                                  path: item.path, reportedID: item.id)
        }
        return MembershipRequest(pairs: pairs, unlink: unlink)
    }
}

extension Session {
    /// Adds, re-relates or unlinks campaign members. A campaign or member that does not exist,
    /// or sits in the recycle bin, is `INVALID_DATA` on `id`. Re-adding an existing pair follows
    /// `rerelate`; Zoho documents only "relation added" and "relation removed", so "relation
    /// updated" is the replica's word for an overwritten Member_Status.
    public func membership(_ request: MembershipRequest) throws -> [ItemResult] {
        guard request.pairs.count <= settings.batchLimit else {
            return [ItemResult(item: ZohoResponse.requestError(Outcome(code: .limitExceeded), limit: settings.batchLimit),
                               verdict: nil, reason: "More than \(settings.batchLimit) items in one related-records call.")]
        }
        let time = Timestamps.format(now())
        return try request.pairs.map { pair in
            if let problem = try missing(pair) {
                return ItemResult(item: invalidID(pair), verdict: nil, reason: problem)
            }
            guard let campaign = pair.campaignID, let member = pair.memberID else { return ItemResult(item: invalidID(pair), verdict: nil, reason: "No id.") }
            let members = CampaignMembers(db: store.db)
            let existing = try members.row(campaign: campaign, module: pair.memberModule, member: member)
            let who = "\(pair.memberModule.singular) \(member)"
            if request.unlink {
                try members.remove(campaign: campaign, module: pair.memberModule, member: member)
                return ItemResult(item: ZohoResponse.success(id: pair.reportedID, message: .relationRemoved), verdict: nil,
                                  reason: existing == nil ? "\(who) was not a member of campaign \(campaign); nothing to remove."
                                                          : "\(who) is no longer a member of campaign \(campaign).")
            }
            guard let existing else {
                try members.put(campaign: campaign, module: pair.memberModule, member: member,
                                CampaignMembers.Row(status: pair.status, addedTime: time, modifiedTime: time))
                return ItemResult(item: ZohoResponse.success(id: pair.reportedID, message: .relationAdded), verdict: nil,
                                  reason: "\(who) joins campaign \(campaign)\(pair.status.map { " as \($0)" } ?? "").")
            }
            switch settings.rerelate {
            case .update:
                try members.put(campaign: campaign, module: pair.memberModule, member: member,
                                CampaignMembers.Row(status: pair.status, addedTime: existing.addedTime, modifiedTime: time))
                return ItemResult(item: ZohoResponse.success(id: pair.reportedID, message: .relationUpdated), verdict: nil,
                                  reason: "\(who) was already a member of campaign \(campaign); "
                                      + "with rerelate=update its Member_Status becomes \(pair.status ?? "empty").")
            case .skip:
                return ItemResult(item: ZohoResponse.success(id: pair.reportedID, message: .relationAdded), verdict: nil,
                                  reason: "\(who) was already a member of campaign \(campaign); with rerelate=skip nothing changes.")
            }
        }
    }

    /// Why a pair cannot be related, or nil.
    private func missing(_ pair: MembershipPair) throws -> String? {
        guard let campaign = pair.campaignID else { return "\(pair.path) is not a valid campaign id." }
        guard let member = pair.memberID else { return "\(pair.path) is not a valid \(pair.memberModule.singular) id." }
        for (module, id) in [(Module.campaigns, campaign), (pair.memberModule, member)] {
            if try store.find(module: module, id: id) != nil { continue }
            if let binned = try store.findInBin(id: id) {
                let deleted = binned.deletion?.time ?? "at an unknown time"
                return "\(module.singular) \(id) is in the recycle bin (deleted \(deleted)); restore it before relating it."
            }
            return "No \(module.singular) has the id \(id)."
        }
        return nil
    }

    /// `INVALID_DATA` on the item's `id`, at its JSON path.
    private func invalidID(_ pair: MembershipPair) -> JSONValue {
        ZohoResponse.error(Outcome(code: .invalidData, apiName: "id", jsonPath: pair.path))
    }
}
