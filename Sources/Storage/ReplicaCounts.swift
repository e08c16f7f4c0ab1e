import Catalogue
import Formats
import Persistence

/// How many rows of each kind the replica holds: what `crm-replica stats` prints.
public struct ReplicaCounts: Equatable, Sendable {
    public let contacts: Int
    public let leads: Int
    public let campaigns: Int
    public let campaignMembers: Int
    public let recycleBin: Int

    public init(db: Database) throws {
        contacts = try db.scalarInt("SELECT count(*) FROM \(Module.contacts.table)")
        leads = try db.scalarInt("SELECT count(*) FROM \(Module.leads.table)")
        campaigns = try db.scalarInt("SELECT count(*) FROM \(Module.campaigns.table)")
        campaignMembers = try CampaignMembers(db: db).count()
        recycleBin = try db.scalarInt("SELECT count(*) FROM recycle_bin")
    }

    /// Whether any record is stored, live or binned: a constant-time check (a count of a million
    /// rows is not), for the warning that a replica is empty.
    public static func holdsAnyRecord(_ db: Database) throws -> Bool {
        try db.scalarInt("""
            SELECT EXISTS (SELECT 1 FROM \(Module.contacts.table)) OR EXISTS (SELECT 1 FROM \(Module.leads.table))
                OR EXISTS (SELECT 1 FROM \(Module.campaigns.table)) OR EXISTS (SELECT 1 FROM recycle_bin)
            """) != 0
    }

    /// The counts under the names of the `stats --json` contract, in its order.
    public var rows: [(name: String, count: Int)] {
        [("Contacts", contacts), ("Leads", leads), ("Campaigns", campaigns),
         ("campaign_members", campaignMembers), ("recycle_bin", recycleBin)]
    }

    /// `{"Contacts":n,"Leads":n,"Campaigns":n,"campaign_members":n,"recycle_bin":n}`.
    public var json: JSONValue {
        .object(JSONObject(uniqueKeysWithValues: rows.map { ($0.name, JSONValue.number(String($0.count))) }))
    }
}
