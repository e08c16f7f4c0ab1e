import Catalogue
import Foundation

/// The records of a generated org, each computed from the seed and its index alone.
struct GeneratedOrg {
    enum Stream: UInt64 { case contacts = 1, leads, contactMemberships, leadMemberships, deletions }

    /// What became of a contact by the time of the current export.
    enum Fate {
        case live
        /// In the older export, then deleted to the recycle bin.
        case deleted(DeletedItem)
        /// Merged away: listed as a permanent deletion, in no export.
        case merged(DeletedItem)
    }

    /// How a contact's address came about.
    private enum Kind { case plain, caseTwin, nearMiss, deleted, merged }

    let seed: UInt64
    let contactCount: Int
    let leadCount: Int
    let campaigns: [CampaignRecord]

    private static let firstCreated = SampleTime.day("2019-01-01")
    private static let lastCreated = SampleTime.day("2026-11-15")
    private static let topics = ["Spring Webinar", "Customer Summit", "Newsletter", "Partner Day", "Product Launch",
                                 "Loyalty Drive", "Trade Show", "Holiday Offer", "Roadshow", "User Conference"]

    init(seed: UInt64, contacts: Int, leads: Int) {
        self.seed = seed
        contactCount = contacts
        leadCount = leads
        // One campaign per 5,000 contacts, at least 3, at most one API page.
        let count = max(3, min(200, contacts / 5_000))
        campaigns = (0..<count).map { index in
            let year = 2019 + index % 8
            let topic = Self.topics[index / 8 % Self.topics.count]
            let wave = index >= 80 ? " (wave \(index / 80 + 1))" : ""
            let start = SampleTime.day("\(year)-03-01") + index * 86_400
            return CampaignRecord(id: String(5_725_767_003_000_000_000 + index * 16), name: "\(topic) \(year)\(wave)",
                                  type: "Others", status: year < 2026 ? "Complete" : "Active",
                                  start: String(SampleTime.text(start).prefix(10)), end: String(SampleTime.text(start + 30 * 86_400).prefix(10)),
                                  budget: 1_000 + index * 250, description: "Generated campaign.",
                                  owner: SampleUser.all[index % 4], created: start - 30 * 86_400)
        }
    }

    private func generator(_ stream: Stream, _ index: Int) -> SplitMix64 {
        SplitMix64(seed: seed, stream: stream.rawValue, index: index)
    }

    // MARK: Contacts

    /// The kind, the person and the plain address of contact `index`: the first draws of its
    /// generator, so that a twin can recompute the original's without the rest.
    private func identity(_ index: Int) -> (Kind, Person, String, SplitMix64) {
        var random = generator(.contacts, index)
        let roll = random.below(1000)
        var kind = Kind.plain
        if index > 0 && roll < 10 { kind = .caseTwin }
        else if index > 0 && roll < 12 { kind = .nearMiss }
        else if roll < 14 && created(index) < SampleOrgClock.olderExport - 10 * 86_400 { kind = .deleted }
        else if roll < 15 { kind = .merged }
        let person = Person(&random)
        let keepsAccents = person.first.unicodeScalars.contains { !$0.isASCII } && random.percent(30)
        let email = keepsAccents
            ? person.accentedEmail(domain: random.pick(NamePools.domains), suffix: String(index))
            : person.email(&random, suffix: String(index))
        return (kind, person, email, random)
    }

    /// An earlier plain contact, for a twin or a near miss to copy.
    private func original(before index: Int, _ random: inout SplitMix64) -> (Person, String) {
        var candidate = index - 1 - random.below(min(index, 5_000))
        while true {
            let (kind, person, email, _) = identity(candidate)
            if kind == .plain || candidate == 0 { return (person, email) }
            candidate -= 1
        }
    }

    private func created(_ index: Int) -> Int {
        Self.firstCreated + (Self.lastCreated - Self.firstCreated) / max(1, contactCount) * index
    }

    func contact(_ index: Int) -> (row: ContactRow, fate: Fate) {
        var (kind, person, email, random) = identity(index)
        switch kind {
        case .caseTwin:
            let (twin, address) = original(before: index, &random)
            person = twin
            email = random.percent(50) ? StoryOrg.titleCased(address) : address.uppercased()
        case .nearMiss:
            let (twin, address) = original(before: index, &random)
            person = twin
            email = Self.nearMiss(of: address, &random)
        case .plain, .deleted, .merged:
            break
        }
        let created = created(index) + random.below(3_600)
        var row = ContactRow(id: String(5_725_767_001_000_000_000 + index * 16 + random.below(16)),
                             owner: SampleUser.all[random.below(4)], firstName: person.first, lastName: person.last,
                             email: email, created: created,
                             modified: min(SampleOrgClock.exported - 86_400, created + random.below(200 * 86_400)))
        if random.percent(75) { row.phone = Self.phone(index, offset: 1_234_567) }
        if random.percent(30) { row.mobile = Self.phone(index, offset: 5_234_567) }
        row.title = person.title
        row.city = person.city
        if random.percent(10) { row.description = random.pick(NamePools.notes) }
        if random.percent(50) { row.tier = random.pick(NamePools.tiers) }
        if random.percent(30) { row.newsletterSource = random.pick(NamePools.newsletterSources) }
        if random.percent(30) { row.memberNumber = "MBR-\(1_000_000 + index)" }
        switch kind {
        case .deleted:
            row.modified = min(row.modified, SampleOrgClock.olderExport - 86_400)
            return (row, .deleted(deletion(of: row, index: index, permanent: false)))
        case .merged:
            return (row, .merged(deletion(of: row, index: index, permanent: true)))
        default:
            return (row, .live)
        }
    }

    /// The same address as people mistype it: a no-break space pasted at the end, a zero-width
    /// space, or the whole address in capitals, which is a near miss only where a letter is not
    /// ASCII (otherwise it stays a case twin).
    private static func nearMiss(of address: String, _ random: inout SplitMix64) -> String {
        switch random.below(4) {
        case 0, 1: return address + "\u{00A0}"
        case 2: return address.replacingOccurrences(of: "@", with: "\u{200B}@")
        default: return address.uppercased()
        }
    }

    /// A unique number per index in the unassigned `555` area code (no real subscriber):
    /// index → (index × 7,654,321 + offset) mod 8,000,000 is one-to-one, since the multiplier
    /// shares no factor with 2⁹·5⁶.
    private static func phone(_ index: Int, offset: Int) -> String {
        let number = (index % 8_000_000 * 7_654_321 + offset) % 8_000_000
        let line = String(number % 10_000)
        return "+1 555 \(200 + number / 10_000) \(String(repeating: "0", count: 4 - line.count))\(line)"
    }

    private func deletion(of row: ContactRow, index: Int, permanent: Bool) -> DeletedItem {
        var random = generator(.deletions, index)
        let time = random.int(in: SampleTime.day("2026-10-20")...SampleTime.day("2026-11-18"))
        return permanent
            ? DeletedItem(id: row.id, displayName: nil, deletedBy: nil, createdBy: nil, deletedTime: time)
            : DeletedItem(id: row.id, displayName: row.displayName, deletedBy: SampleUser.all[random.below(2)],
                          createdBy: row.owner, deletedTime: time)
    }

    // MARK: Leads

    func lead(_ index: Int) -> LeadRecord {
        var random = generator(.leads, index)
        var person = Person(&random)
        var email = person.email(&random, suffix: "-\(index)")
        // A Lead who is also a Contact: what the Leads duplicate-check preference would catch.
        if index < contactCount, random.percent(2), case (let row, .live) = contact(index) {
            (person.first, person.last, email) = (row.firstName, row.lastName, row.email)
        }
        let created = SampleTime.day("2024-01-01") + (Self.lastCreated - SampleTime.day("2024-01-01")) / max(1, leadCount) * index
        return LeadRecord(id: String(5_725_767_002_000_000_000 + index * 16 + random.below(16)),
                          owner: SampleUser.all[random.below(4)], company: person.company, firstName: person.first,
                          lastName: person.last, designation: person.title, email: email,
                          phone: random.percent(50) ? Self.phone(index, offset: 3_234_567) : nil,
                          leadSource: random.pick(NamePools.leadSources), leadStatus: random.pick(NamePools.leadStatuses),
                          industry: random.pick(NamePools.industries), employees: random.int(in: 5...5_000), city: person.city,
                          created: created, modified: min(SampleOrgClock.exported - 86_400, created + random.below(90 * 86_400)))
    }

    // MARK: Memberships

    /// About one record in twenty is a member of one campaign.
    func membership(_ module: Module, index: Int, id: String) -> MemberRow? {
        var random = generator(module == .leads ? .leadMemberships : .contactMemberships, index)
        guard random.percent(5) else { return nil }
        return MemberRow(campaignID: campaigns[random.below(campaigns.count)].id, memberID: id, memberModule: module,
                         status: random.pick(NamePools.memberStatuses))
    }
}
