import Catalogue
import Formats

/// The story's Leads, memberships and files.
extension StoryOrg {
    /// 40 Leads from the last year and a half: the three whose addresses the batch reuses,
    /// three people who are also Contacts (what the Leads preference would catch), and others.
    mutating func addLeads() {
        var people = leadHolders
        for index in stride(from: fillerStart, to: fillerStart + 30, by: 10) {
            let contact = contacts[index]
            var person = Person(&random)
            (person.first, person.last) = (contact.firstName, contact.lastName)
            people.append((person, contact.email))
        }
        while people.count < 40 { people.append(newPerson()) }
        var made = people.map { person, email in lead(person, email: email) }
        made.sort { ($0.created, $0.email) < ($1.created, $1.email) }
        var next = 5_725_767_000_000_610_000
        for index in made.indices {
            next += random.int(in: 3...90)
            made[index].id = String(next)
        }
        leads = made
    }

    private mutating func lead(_ person: Person, email: String) -> LeadRecord {
        let created = time(from: "2025-06-01", to: "2026-11-15")
        return LeadRecord(id: "", owner: random.pick(Array(SampleUser.all.prefix(4))), company: person.company,
                          firstName: person.first, lastName: person.last, designation: person.title, email: email,
                          phone: random.percent(50) ? phones.next() : nil, leadSource: random.pick(NamePools.leadSources),
                          leadStatus: random.pick(NamePools.leadStatuses), industry: random.pick(NamePools.industries),
                          employees: random.int(in: 5...5000), city: person.city, created: created,
                          modified: modified(after: created))
    }

    /// Campaign members before the batch. The webinar already has a few invitees; the first
    /// has opened the invitation, so re-adding it as "Invited" shows what `rerelate` does.
    /// A deleted contact keeps its Summit membership, as Zoho keeps it while the record is in the bin.
    mutating func addMemberships() {
        var pool = random.shuffled(Array(fillerStart..<contacts.count))
        func take(_ count: Int) -> [String] { (0..<count).map { _ in contacts[pool.removeLast()].id } }
        func join(_ campaign: CampaignRecord, _ ids: [String], _ module: Module = .contacts, status: () -> String) {
            let rows = ids.map { MemberRow(campaignID: campaign.id, memberID: $0, memberModule: module, status: status()) }
            members += rows
        }
        let (summit, newsletter, webinar) = (StoryOrg.campaigns[0], StoryOrg.campaigns[1], StoryOrg.webinar)
        join(summit, take(14)) { random.pick(["Responded", "Received", "Opened"]) }
        join(summit, [binned.last?.id ?? ""]) { "Responded" }
        join(newsletter, take(12)) { random.pick(["Sent", "Opened", "Bounced"]) }
        join(newsletter, leads.suffix(4).map(\.id), .leads) { "Sent" }
        join(webinar, take(1)) { "Opened" }
        join(webinar, take(7)) { random.pick(["Invited", "Sent"]) }
        join(webinar, leads.prefix(2).map(\.id), .leads) { "Invited" }
        newInvitees = take(3)
    }

    // MARK: Files

    func orgFiles() -> [SampleFile] {
        var olderRows = binned
        olderRows += contacts[fillerStart...].filter { $0.modified < SampleOrgClock.olderExport }.prefix(28)
        // A script paging with per_page=25, so that the sample shows more than one page.
        let perPage = 25
        let leadPages = stride(from: 0, to: leads.count, by: perPage).map { Array(leads[$0..<min($0 + perPage, leads.count)]) }
        var files = [
            (OrgFileNames.members, MembersCSV.head + members.flatMap(MembersCSV.row)),
            (OrgFileNames.campaigns, APIPage.bytes(APIPage.json(StoryOrg.campaigns.map(\.json), page: 1, perPage: 200, moreRecords: false))),
            (OrgFileNames.olderContacts, ContactsExport.head(title: "Contacts export 2026-09-14")
                + olderRows.sorted { $0.id < $1.id }.flatMap(ContactsExport.row)),
            (OrgFileNames.contacts, ContactsExport.head() + contacts.sorted { $0.id < $1.id }.flatMap(ContactsExport.row)),
            (OrgFileNames.deletedPage(1), APIPage.bytes(APIPage.deletedJSON(deletedItems().map(\.json), page: 1, perPage: 200, moreRecords: false))),
            (OrgFileNames.contactFields, APIPage.bytes(FieldMetadata.response(.contacts))),
        ]
        for (index, page) in leadPages.enumerated() {
            files.append((OrgFileNames.leadsPage(index + 1), APIPage.bytes(APIPage.json(
                page.map(\.json), page: index + 1, perPage: perPage, moreRecords: index + 1 < leadPages.count))))
        }
        files += [
            (OrgFileNames.preference, APIPage.bytes(FieldMetadata.leadsPreference)),
            (OrgFileNames.leadFields, APIPage.bytes(FieldMetadata.response(.leads))),
        ]
        return files.map { SampleFile(folder: SampleStory.orgFolder, name: $0.0, bytes: $0.1) }
    }

    /// The bin as `GET /Contacts/deleted` lists it, newest first: the story's deleted contacts,
    /// and two records merged away (permanent, known by id only).
    private func deletedItems() -> [DeletedItem] {
        var generator = SplitMix64(seed: 20_261_120, stream: 5, index: 0)
        let deleters = [SampleUser.all[0], SampleUser.all[1]]
        var items = binned.map { row in
            DeletedItem(id: row.id, displayName: row.displayName, deletedBy: generator.pick(deleters), createdBy: row.owner,
                        deletedTime: generator.int(in: SampleTime.day("2026-10-20")...SampleTime.day("2026-11-18")))
        }
        for index in [fillerStart + 5, fillerStart + 50] {
            // An id in the gap after a live contact's (ids are at least 3 apart): never exported.
            items.append(DeletedItem(id: String((Int(contacts[index].id) ?? 0) + 1), displayName: nil, deletedBy: nil, createdBy: nil,
                                     deletedTime: generator.int(in: SampleTime.day("2026-10-02")...SampleTime.day("2026-11-10"))))
        }
        return items.sorted { ($0.deletedTime, $0.id) > ($1.deletedTime, $1.id) }
    }

    /// The upsert payload, in the order the signup export listed people, and the related-records
    /// calls a script makes next with the ids it can know: those of contacts the upsert updated,
    /// and of contacts already in the org.
    func batchFiles() -> [SampleFile] {
        var generator = SplitMix64(seed: 20_261_120, stream: 6, index: 0)
        let records = generator.shuffled(batch).map { record -> JSONValue in
            var record = record
            // The seed's mistake: a campaign id written into a Contacts field creates no membership.
            if generator.percent(25) { record["Campaign_ID"] = .string(StoryOrg.webinar.id) }
            return .object(record)
        }
        let upsert: JSONValue = .object(["data": .array(records), "duplicate_check_fields": .array([.string("Email")]),
                                         "trigger": .array([])])
        let rerelated = members.first { $0.campaignID == StoryOrg.webinar.id && $0.memberModule == .contacts }?.memberID ?? ""
        let calls = [
            updatedByBatch.map { contacts[$0].id },
            newInvitees + [rerelated],
            [binned[0].id],  // one of the signups whose address is in the bin: the script kept its old id
        ]
        let lines = calls.map { ids -> [UInt8] in
            let body: JSONValue = .object(["data": .array(ids.map { .object(["id": .string($0), "Member_Status": .string("Invited")]) })])
            let request: JSONValue = .object(["method": .string("PUT"), "path": .string("/crm/v8/Campaigns/\(StoryOrg.webinar.id)/Contacts"),
                                              "body": body])
            return Array((JSON.write(request) + "\n").utf8)
        }
        return [
            SampleFile(folder: SampleStory.batchesFolder, name: SampleStory.upsertBatch, bytes: APIPage.bytes(upsert)),
            SampleFile(folder: SampleStory.batchesFolder, name: SampleStory.membershipRequests, bytes: lines.flatMap { $0 }),
        ]
    }
}

/// The file names of an org export, shared by the story and the generator. The Contacts
/// exports carry their date, as Zoho names them, so that a shell glob lists the older first.
enum OrgFileNames {
    static let members = "Campaign_Members.csv"
    static let campaigns = "Campaigns.json"
    static let olderContacts = "Contacts_2026_09_14.csv"
    static let contacts = "Contacts_2026_11_20.csv"
    static let contactFields = "Contacts_fields.json"
    static let preference = "Leads_duplicate_check_preference.json"
    static let leadFields = "Leads_fields.json"
    static let leadsNDJSON = "Leads.ndjson"

    static func deletedPage(_ page: Int) -> String { "Contacts_deleted_\(threeDigits(page)).json" }
    static func leadsPage(_ page: Int) -> String { "Leads_\(threeDigits(page)).json" }

    private static func threeDigits(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
