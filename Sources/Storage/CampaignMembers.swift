import Catalogue
import Persistence

/// The `campaign_members` table: the Campaigns–Contacts/Leads relation, one row per pair. The
/// loaders, the related-records calls and `why` all read and write it here.
public struct CampaignMembers {
    /// One row: the pair and what Zoho keeps about it.
    public struct Row: Equatable, Sendable {
        public var status: String?
        public var addedTime: String?
        public var modifiedTime: String?

        public init(status: String?, addedTime: String?, modifiedTime: String?) {
            self.status = status
            self.addedTime = addedTime
            self.modifiedTime = modifiedTime
        }
    }

    /// A campaign a person belongs to, with the campaign's name when the replica holds it.
    public struct Campaign: Equatable, Sendable {
        public let id: String
        public let name: String?
        public let memberStatus: String?
    }

    public let db: Database

    public init(db: Database) { self.db = db }

    private static func key(_ campaign: String, _ module: Module, _ member: String) -> [SQLValue] {
        [.text(campaign), .text(module.rawValue), .text(member)]
    }

    public func row(campaign: String, module: Module, member: String) throws -> Row? {
        try db.statement("""
            SELECT member_status, added_time, modified_time FROM campaign_members
            WHERE campaign_id = ? AND member_module = ? AND member_id = ?
            """).firstRow(Self.key(campaign, module, member)) { Row(status: $0.text(0), addedTime: $0.text(1), modifiedTime: $0.text(2)) }
    }

    /// Inserts the pair, or replaces what is stored about it.
    public func put(campaign: String, module: Module, member: String, _ row: Row) throws {
        try db.run("""
            INSERT INTO campaign_members (campaign_id, member_module, member_id, member_status, added_time, modified_time)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (campaign_id, member_module, member_id) DO UPDATE SET
              member_status = excluded.member_status, added_time = excluded.added_time, modified_time = excluded.modified_time
            """, Self.key(campaign, module, member) + [SQLValue(row.status), SQLValue(row.addedTime), SQLValue(row.modifiedTime)])
    }

    public func remove(campaign: String, module: Module, member: String) throws {
        try db.run("DELETE FROM campaign_members WHERE campaign_id = ? AND member_module = ? AND member_id = ?",
                   Self.key(campaign, module, member))
    }

    /// The campaigns of one person, through the (member_module, member_id) index.
    public func campaigns(of module: Module, member: String) throws -> [Campaign] {
        try db.statement("""
            SELECT m.campaign_id, c.Campaign_Name, m.member_status
            FROM campaign_members AS m LEFT JOIN campaigns AS c ON c.id = m.campaign_id
            WHERE m.member_module = ? AND m.member_id = ? ORDER BY m.campaign_id
            """).rows([.text(module.rawValue), .text(member)]) { Campaign(id: $0.text(0) ?? "", name: $0.text(1), memberStatus: $0.text(2)) }
    }

    public func count() throws -> Int { try db.scalarInt("SELECT count(*) FROM campaign_members") }
}

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
