import Catalogue
import Formats

/// Builds the story's org and batches (see `SampleStory`). Small enough to build in memory.
///
/// Records are made in story order, then given ids in order of creation time, as Zoho's ids
/// grow over time; holders are remembered by their position in `contacts`, not their id.
struct StoryOrg {
    static let webinar = CampaignRecord(
        id: "5725767000000801017", name: "Autumn Product Webinar 2026", type: "Webinar", status: "Active",
        start: "2026-11-26", end: "2026-11-26", budget: 3500,
        description: "Live product tour with Q&A.\nSignups come from the webinar landing page.",
        owner: SampleUser.all[1], created: SampleTime.day("2026-10-28") + 40_000)

    static let campaigns = [
        CampaignRecord(id: "5725767000000801003", name: "Customer Summit 2025", type: "Conference", status: "Complete",
                       start: "2025-05-12", end: "2025-05-14", budget: 48000,
                       description: "Two days in Lisbon, customers and partners.", owner: SampleUser.all[0],
                       created: SampleTime.day("2025-01-20") + 36_000),
        CampaignRecord(id: "5725767000000801009", name: "Newsletter Relaunch 2026", type: "Email", status: "Active",
                       start: "2026-02-01", end: "2026-12-31", budget: 6000,
                       description: "Monthly newsletter, new design.", owner: SampleUser.all[2],
                       created: SampleTime.day("2026-01-15") + 50_000),
        webinar,
        CampaignRecord(id: "5725767000000801021", name: "Winter Loyalty Drive 2026", type: "Others", status: "Planning",
                       start: "2026-12-01", end: "2027-01-31", budget: 12000,
                       description: "Member-number holders get early access.", owner: SampleUser.all[0],
                       created: SampleTime.day("2026-11-05") + 30_000),
    ]

    var random = SplitMix64(seed: 20_261_120)
    var phones: FictionalPhones
    var memberNumbers: [String]
    var takenEmails = Set<String>()

    /// Live contacts, in the current export.
    var contacts: [ContactRow] = []
    /// Contacts deleted since the older export: in the recycle bin.
    var binned: [ContactRow] = []
    var leads: [LeadRecord] = []
    var members: [MemberRow] = []
    /// The upsert payload's records, in story order (shuffled when written).
    var batch: [JSONObject] = []
    /// Contacts the upsert updates: the follow-up adds them to the campaign by id.
    var updatedByBatch: [Int] = []
    /// Signups whose address only a Lead holds (the Leads are made after the contacts).
    var leadHolders: [(Person, String)] = []
    /// Where the contacts with nothing planted on them start in `contacts`.
    var fillerStart = 0
    /// Contacts the follow-up invites that were not campaign members before.
    var newInvitees: [String] = []

    init() {
        phones = FictionalPhones(&random)
        memberNumbers = random.shuffled((104_000..<105_000).map { "MBR-\($0)" })
    }

    func files() -> [SampleFile] {
        var org = self
        org.build()
        return org.orgFiles() + org.batchFiles()
    }

    private mutating func build() {
        plantCauses()
        plantSurprises()
        addFiller(count: 250 - contacts.count)
        addNewSignups(count: 100 - batch.count)
        plantInvalidValues()
        assignIDs()
        addLeads()
        addMemberships()
    }

    // MARK: Making records

    /// A contact that is nobody in particular, created between `from` and `to`.
    mutating func contact(_ person: Person, email: String, from: String = "2021-02-01", to: String = "2026-11-12",
                          phone: Bool = true) -> ContactRow {
        let created = time(from: from, to: to)
        var row = ContactRow(id: "", owner: random.pick(Array(SampleUser.all.prefix(4))), firstName: person.first,
                             lastName: person.last, email: email, created: created, modified: modified(after: created))
        if phone && random.percent(75) { row.phone = phones.next() }
        if random.percent(35) { row.mobile = phones.next() }
        row.title = person.title
        row.city = person.city
        if random.percent(20) { row.description = random.pick(NamePools.notes) }
        if random.percent(60) { row.tier = random.pick(NamePools.tiers) }
        if random.percent(40) { row.newsletterSource = random.pick(NamePools.newsletterSources) }
        if random.percent(40) { row.memberNumber = memberNumbers.removeLast() }
        return row
    }

    @discardableResult
    mutating func add(_ row: ContactRow) -> Int {
        contacts.append(row)
        return contacts.count - 1
    }

    /// A person with an address nobody in the org or the batch has used yet.
    mutating func newPerson() -> (Person, String) {
        let person = Person(&random)
        return (person, newAddress(for: person))
    }

    /// Another address of `person`, not used yet.
    mutating func newAddress(for person: Person) -> String {
        var suffix = ""
        while true {
            for _ in 0..<8 {
                let email = person.email(&random, suffix: suffix)
                if takenEmails.insert(email.lowercased()).inserted { return email }
            }
            suffix = String(random.int(in: 1...99))
        }
    }

    /// One record of the upsert payload, as the signup export maps it to Contacts fields.
    func signup(_ person: Person, email: String, phone: String? = nil, memberNumber: String? = nil) -> JSONObject {
        var record: JSONObject = ["First_Name": .string(person.first), "Last_Name": .string(person.last),
                                  "Email": .string(email)]
        if let phone { record["Phone"] = .string(phone) }
        record["Mailing_City"] = .string(person.city)
        if let memberNumber { record["Member_Number"] = .string(memberNumber) }
        record["Lead_Source"] = .string("Webinar")
        record["Newsletter_Source"] = .string("Webinar signup")
        return record
    }

    mutating func time(from: String, to: String) -> Int {
        random.int(in: SampleTime.day(from)...SampleTime.day(to) + 86_399)
    }

    /// Most records are edited a few times in their first months, then left alone.
    mutating func modified(after created: Int) -> Int {
        let latest = SampleOrgClock.exported - 2 * 86_400
        return min(latest, created + random.int(in: 0...200 * 86_400))
    }

    // MARK: Ids

    /// Ids in order of creation time, with the gaps Zoho leaves between records of a module.
    private mutating func assignIDs() {
        var all = contacts.indices.map { (created: contacts[$0].created, live: true, index: $0) }
            + binned.indices.map { (created: binned[$0].created, live: false, index: $0) }
        all.sort { ($0.created, $0.live ? 0 : 1, $0.index) < ($1.created, $1.live ? 0 : 1, $1.index) }
        var next = 5_725_767_000_000_520_000
        for entry in all {
            next += random.int(in: 3...90)
            if entry.live { contacts[entry.index].id = String(next) } else { binned[entry.index].id = String(next) }
        }
    }
}
