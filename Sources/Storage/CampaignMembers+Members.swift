import Catalogue
import Persistence

extension CampaignMembers {
    /// One member of a campaign and its status.
    public struct Member: Equatable, Sendable {
        public let id: String
        public let status: String?
    }

    /// The members of `module` in one campaign, by id (`GET /Campaigns/{id}/Contacts`).
    public func members(of campaign: String, module: Module) throws -> [Member] {
        try db.statement("""
            SELECT member_id, member_status FROM campaign_members WHERE campaign_id = ? AND member_module = ? ORDER BY member_id
            """).rows([.text(campaign), .text(module.rawValue)]) { Member(id: $0.text(0) ?? "", status: $0.text(1)) }
    }
}
