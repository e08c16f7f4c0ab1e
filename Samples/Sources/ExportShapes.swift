import Catalogue
import Formats

/// CSV as Zoho's exports write it: a UTF-8 byte-order mark (so that spreadsheet programs read
/// the accents right), CRLF between records, and quotes only around values that need them
/// (a comma, a quote, a line break, or a space at either end).
enum CSVText {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func line(_ fields: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if needsQuotes(field) {
                bytes.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                    bytes.append(byte)
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: field.utf8)
            }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
        return bytes
    }

    private static func needsQuotes(_ field: String) -> Bool {
        field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || field.hasPrefix(" ") || field.hasSuffix(" ")
    }
}

/// The Contacts "Export Data" file: display labels, the `zcrm_` prefix on record ids that UI
/// exports are reported to write, and the org's custom fields after the standard ones.
enum ContactsExport {
    static let headers = [
        "Record Id", "Contact Owner", "First Name", "Last Name", "Email", "Secondary Email", "Phone", "Mobile",
        "Title", "Mailing City", "Created Time", "Modified Time", "Description",
        "Customer Tier", "Newsletter Source", "Member Number",
    ]

    /// The start of the file; `title` is the line some exports carry above the header.
    static func head(title: String? = nil) -> [UInt8] {
        CSVText.byteOrderMark + (title.map { CSVText.line([$0]) } ?? []) + CSVText.line(headers)
    }

    static func row(_ contact: ContactRow) -> [UInt8] {
        CSVText.line([
            "zcrm_" + contact.id, contact.owner.name, contact.firstName, contact.lastName, contact.email,
            contact.secondaryEmail, contact.phone, contact.mobile, contact.title, contact.city,
            SampleTime.text(contact.created), SampleTime.text(contact.modified), contact.description,
            contact.tier, contact.newsletterSource, contact.memberNumber,
        ])
    }
}

/// The campaign-members CSV of the CLI contract.
enum MembersCSV {
    static let head = CSVText.line(["Campaign Id", "Member Id", "Member Module", "Member Status"])

    static func row(_ member: MemberRow) -> [UInt8] {
        CSVText.line([member.campaignID, member.memberID, member.memberModule.rawValue, member.status])
    }
}

/// `{"data":[…],"info":{…}}`, the shape of every `GET` list page (docs/zoho-facts.md#exports-and-bulk-write).
enum APIPage {
    static func json(_ items: [JSONValue], page: Int, perPage: Int, moreRecords: Bool) -> JSONValue {
        .object([
            "data": .array(items),
            "info": .object([
                "per_page": .number(String(perPage)),
                "count": .number(String(items.count)),
                "page": .number(String(page)),
                "sort_by": .string("id"),
                "sort_order": .string("asc"),
                "more_records": .bool(moreRecords),
                "next_page_token": moreRecords ? .string(pageToken(page + 1)) : .null,
                "previous_page_token": page > 1 ? .string(pageToken(page - 1)) : .null,
                "page_token_expiry": .string(SampleTime.text(SampleOrgClock.exported + 86_400)),
                "call": .bool(false),
                "email": .bool(false),
            ]),
        ])
    }

    /// `GET /{Module}/deleted`: the same envelope with the older, token-less `info`.
    static func deletedJSON(_ items: [JSONValue], page: Int, perPage: Int, moreRecords: Bool) -> JSONValue {
        .object([
            "data": .array(items),
            "info": .object(["per_page": .number(String(perPage)), "count": .number(String(items.count)),
                             "page": .number(String(page)), "more_records": .bool(moreRecords)]),
        ])
    }

    /// An opaque token, made from the page number so that the same page always gets the same one.
    private static func pageToken(_ page: Int) -> String {
        var generator = SplitMix64(seed: 0x7A6F_686F, stream: 1, index: page)
        return (0..<3).map { _ in hex(generator.next()) }.joined()
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The file's bytes: compact as the API sends it, but with one item of each top-level
    /// array per line, so that a reader can follow the sample record by record.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        guard case .object(let members) = value else { return Array((JSON.write(value) + "\n").utf8) }
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, member)) in members.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += Array(JSON.write(.string(key)).utf8) + [UInt8(ascii: ":")]
            if case .array(let items) = member, !items.isEmpty {
                bytes.append(UInt8(ascii: "["))
                for (position, item) in items.enumerated() {
                    bytes += Array(((position > 0 ? ",\n" : "\n") + JSON.write(item)).utf8)
                }
                bytes += Array("\n]".utf8)
            } else {
                JSON.write(member, into: &bytes)
            }
        }
        return bytes + Array("}\n".utf8)
    }
}

/// The fixed moments every sample file agrees on.
enum SampleOrgClock {
    /// When the current Contacts export was taken: 2026-11-20 18:00 UTC.
    static let exported = SampleTime.day("2026-11-20") + 18 * 3600
    /// When the older export, which still holds the since-deleted contacts, was taken.
    static let olderExport = SampleTime.day("2026-09-14") + 9 * 3600
}
