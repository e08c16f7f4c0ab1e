import Catalogue
import Formats
import Foundation

/// Writes an org export of any size in the story's file shapes, for benchmarks and for trying
/// the tool at scale. The same seed gives the same bytes.
///
/// Every record is a pure function of the seed and its index (`SplitMix64(seed:stream:index:)`),
/// so the files are written in one pass, row by row, through `FileSink`: a million contacts
/// never sit in memory. What the org holds, per contact:
/// - about 1% are case twins: the same person again, the address in other letter case;
/// - about 0.2% are near misses of an earlier address (a trailing no-break space, a zero-width
///   space, or a non-ASCII capital);
/// - about 0.2% were deleted after the older export: in that export, and in the deleted list;
/// - about 5% are members of a campaign; about 2% of Leads share an address with a Contact.
public struct SampleGenerator {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Zoho's `page` parameter reaches 2,000 records (docs/zoho-facts.md#exports-and-bulk-write): up to that many Leads are
    /// written as pages of 200, more as one NDJSON file.
    static let leadPagesLimit = 2_000
    static let perPage = 200

    /// Writes the org into `directory` (created when missing) and returns the file names.
    @discardableResult
    public func write(contacts: Int, leads: Int, to directory: URL) throws -> [String] {
        guard contacts >= 1 else { throw SampleError.invalidCount("--contacts must be at least 1 (got \(contacts))") }
        guard leads >= 0 else { throw SampleError.invalidCount("--leads must be 0 or more (got \(leads))") }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let org = GeneratedOrg(seed: seed, contacts: contacts, leads: leads)
        var names: [String] = []
        func file(_ name: String) -> URL {
            names.append(name)
            return directory.appendingPathComponent(name)
        }
        try FileSink.write(APIPage.bytes(FieldMetadata.response(.contacts)), to: file(OrgFileNames.contactFields))
        try FileSink.write(APIPage.bytes(FieldMetadata.response(.leads)), to: file(OrgFileNames.leadFields))
        try FileSink.write(APIPage.bytes(FieldMetadata.leadsPreference), to: file(OrgFileNames.preference))
        try FileSink.write(APIPage.bytes(APIPage.json(org.campaigns.map(\.json), page: 1, perPage: Self.perPage, moreRecords: false)),
                           to: file(OrgFileNames.campaigns))
        let members = try FileSink(file(OrgFileNames.members))
        try members.write(MembersCSV.head)
        let deleted = try writeContacts(org, current: file(OrgFileNames.contacts), older: file(OrgFileNames.olderContacts),
                                        members: members)
        try writeDeletedPages(deleted, name: OrgFileNames.deletedPage, file: file)
        if leads <= Self.leadPagesLimit {
            try writeLeadPages(org, file: file, members: members)
        } else {
            try writeLeadsNDJSON(org, to: file(OrgFileNames.leadsNDJSON), members: members)
        }
        try members.close()
        return names
    }

    /// The current export (live contacts), the older export (contacts deleted since, under a
    /// title line) and the contacts' membership rows, in one pass. Returns the deleted list.
    private func writeContacts(_ org: GeneratedOrg, current: URL, older: URL, members: FileSink) throws -> [DeletedItem] {
        let live = try FileSink(current), before = try FileSink(older)
        try live.write(ContactsExport.head())
        try before.write(ContactsExport.head(title: "Contacts export 2026-09-14"))
        var deleted: [DeletedItem] = []
        for index in 0..<org.contactCount {
            let contact = org.contact(index)
            switch contact.fate {
            case .live: try live.write(ContactsExport.row(contact.row))
            case .deleted(let item):
                try before.write(ContactsExport.row(contact.row))
                deleted.append(item)
            case .merged(let item):
                deleted.append(item)
                continue
            }
            if let member = org.membership(.contacts, index: index, id: contact.row.id) { try members.write(MembersCSV.row(member)) }
        }
        try live.close()
        try before.close()
        return deleted
    }

    /// `GET /Contacts/deleted` pages, newest deletion first.
    private func writeDeletedPages(_ items: [DeletedItem], name: (Int) -> String, file: (String) -> URL) throws {
        let sorted = items.sorted { ($0.deletedTime, $0.id) > ($1.deletedTime, $1.id) }
        let pages = max(1, (sorted.count + Self.perPage - 1) / Self.perPage)
        for page in 1...pages {
            let slice = sorted[min(sorted.count, (page - 1) * Self.perPage)..<min(sorted.count, page * Self.perPage)]
            try FileSink.write(APIPage.bytes(APIPage.deletedJSON(slice.map(\.json), page: page, perPage: Self.perPage,
                                                          moreRecords: page < pages)), to: file(name(page)))
        }
    }

    private func writeLeadPages(_ org: GeneratedOrg, file: (String) -> URL, members: FileSink) throws {
        let pages = max(1, (org.leadCount + Self.perPage - 1) / Self.perPage)
        for page in 1...pages {
            let indices = ((page - 1) * Self.perPage)..<min(org.leadCount, page * Self.perPage)
            let leads = indices.map(org.lead)
            try FileSink.write(APIPage.bytes(APIPage.json(leads.map(\.json), page: page, perPage: Self.perPage, moreRecords: page < pages)),
                               to: file(OrgFileNames.leadsPage(page)))
            for (index, lead) in zip(indices, leads) {
                if let member = org.membership(.leads, index: index, id: lead.id) { try members.write(MembersCSV.row(member)) }
            }
        }
    }

    private func writeLeadsNDJSON(_ org: GeneratedOrg, to url: URL, members: FileSink) throws {
        let sink = try FileSink(url)
        for index in 0..<org.leadCount {
            let lead = org.lead(index)
            try sink.write(JSON.write(lead.json) + "\n")
            if let member = org.membership(.leads, index: index, id: lead.id) { try members.write(MembersCSV.row(member)) }
        }
        try sink.close()
    }
}
