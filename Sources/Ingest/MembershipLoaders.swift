import Catalogue
import Formats
import Persistence
import Storage

/// One campaign membership: the related-records relation between a campaign and a Contact or
/// Lead (docs/zoho-facts.md#campaign-membership). A nil value means "the file does not say", and leaves a stored one alone.
struct Membership {
    var campaignID: String
    var memberModule: Module
    var memberID: String
    var status: String?
    var addedTime: String?
    var modifiedTime: String?
}

/// Upserts membership rows on the (campaign, member module, member) key.
struct MembershipWriter {
    let store: RecordStore

    func upsert(_ membership: Membership) throws -> RecordStore.WriteOutcome {
        try store.noteID(membership.campaignID)
        try store.noteID(membership.memberID)
        let members = CampaignMembers(db: store.db)
        let stored = try members.row(campaign: membership.campaignID, module: membership.memberModule, member: membership.memberID)
        let row = CampaignMembers.Row(status: membership.status ?? stored?.status, addedTime: membership.addedTime ?? stored?.addedTime,
                                      modifiedTime: membership.modifiedTime ?? stored?.modifiedTime)
        if let stored, stored == row { return .unchanged }
        try members.put(campaign: membership.campaignID, module: membership.memberModule, member: membership.memberID, row)
        return stored == nil ? .inserted : .updated
    }
}

/// Loads a membership CSV: `Campaign Id`, `Member Id`, `Member Module` (Contacts or Leads) and
/// optionally `Member Status`, `Added Time` (or `Created Time`) and `Modified Time`. Other columns
/// (campaign or member names) describe records loaded from their own exports and are not kept.
///
/// The same loader reads a campaign's related list exported as CSV, whose member ids sit in
/// `Record Id` (or `id`) and whose campaign is `--campaign`: what a column does not say, the flag
/// says (`Campaign Id` ← `--campaign`, `Member Module` ← `--module`), and where both say, a row
/// that disagrees with the flag fails the file rather than load under the wrong campaign or module.
struct MembersCSVLoader {
    enum Column: String, CaseIterable {
        case campaignID = "campaign_id", memberID = "member_id", memberModule = "member_module"
        case status = "member_status", addedTime = "added_time", modifiedTime = "modified_time"

        /// `format` decides where the member id is: `Member Id`, or in a related list the
        /// member record's own `Record Id` / `id`.
        init?(header: String, format: InputFormat) {
            let key = FieldCatalogue.headerKey(header)
            if let column = Column(rawValue: key) {
                self = column
            } else if key == "created_time" {
                self = .addedTime
            } else if format == .relatedListCSV, key == "record_id" || key == "id" {
                self = .memberID
            } else {
                return nil
            }
        }

        var label: String {
            rawValue.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
    }

    let file: InputFile
    let detection: Detection
    /// `--campaign`, normalized.
    let campaignID: String?
    let store: RecordStore

    /// `--module` (detection checked it names Contacts or Leads).
    private var memberModule: Module? { detection.module }

    func load(progress: inout ProgressMeter) throws -> Tally {
        let reader = try CSVFile.open(file.path, delimiter: detection.delimiter)
        let writer = MembershipWriter(store: store)
        var tally = Tally()
        var recordIndex = 0
        var header: (columns: [Column: Int], headers: [String])?
        try CSVFile.read(reader, path: file.path) { view, line in
            defer { recordIndex += 1 }
            if recordIndex < detection.headerIndex { return true }
            guard let (columns, headers) = header else {
                header = (try mapHeader(view.strings, line: line), view.strings)
                return true
            }
            let width = headers.count
            if view.isBlank {
                tally.skipped += 1
                return true
            }
            guard view.count == width else {
                throw LoadError.raggedRow(path: file.path, line: line, expected: width, found: view.count)
            }
            func cell(_ column: Column) -> String? { columns[column].map { view.string($0) } }
            tally.count(try writer.upsert(Membership(
                campaignID: try campaign(cell(.campaignID), line: line),
                memberModule: try module(cell(.memberModule), line: line),
                memberID: try recordID(cell(.memberID), column: columns[.memberID].map { headers[$0] } ?? Column.memberID.label, line: line),
                status: cell(.status), addedTime: cell(.addedTime), modifiedTime: cell(.modifiedTime))))
            progress.advance(to: reader.bytesRead)
            return true
        }
        progress.finish(at: reader.bytesRead)
        return tally
    }

    private func mapHeader(_ headers: [String], line: Int) throws -> [Column: Int] {
        var columns: [Column: Int] = [:]
        for (index, header) in headers.enumerated() {
            guard let column = Column(header: header, format: detection.format) else { continue }
            if let earlier = columns[column] {
                throw LoadError.duplicateColumn(path: file.path, line: line, first: headers[earlier], second: header, field: column.label)
            }
            columns[column] = index
        }
        if columns[.campaignID] == nil, campaignID == nil {
            throw detection.format == .relatedListCSV ? LoadError.campaignRequired(path: file.path)
                : LoadError.missingColumn(path: file.path, line: line, column: Column.campaignID.label)
        }
        if columns[.memberID] == nil { throw LoadError.missingColumn(path: file.path, line: line, column: Column.memberID.label) }
        if columns[.memberModule] == nil, memberModule == nil {
            throw detection.format == .relatedListCSV ? LoadError.memberModuleRequired(path: file.path)
                : LoadError.missingColumn(path: file.path, line: line, column: Column.memberModule.label)
        }
        return columns
    }

    private func recordID(_ cell: String?, column: String, line: Int) throws -> String {
        let text = cell ?? ""
        if text.isEmpty { throw LoadError.missingRecordID(path: file.path, at: .line(line), column: column) }
        guard let id = ExportID.normalize(text) else {
            throw LoadError.invalidRecordID(path: file.path, at: .line(line), found: text)
        }
        return id
    }

    /// The row's `Campaign Id`, which must be `--campaign` when both are given; else the flag.
    private func campaign(_ cell: String?, line: Int) throws -> String {
        guard let cell else { return campaignID! }
        let id = try recordID(cell, column: Column.campaignID.label, line: line)
        if let campaignID, id != campaignID {
            throw LoadError.flagConflict(path: file.path, line: line, flag: .campaign, given: campaignID,
                                         column: Column.campaignID.label, found: cell)
        }
        return id
    }

    /// The row's `Member Module`, which must be `--module` when both are given; else the flag.
    private func module(_ cell: String?, line: Int) throws -> Module {
        guard let cell else { return memberModule! }
        guard let module = Module(name: cell), module.isPerson else {
            throw LoadError.unexpected(path: file.path, at: .line(line), expected: "`Member Module` Contacts or Leads",
                                       found: cell.isEmpty ? "nothing" : "`\(cell)`")
        }
        if let memberModule, module != memberModule {
            throw LoadError.flagConflict(path: file.path, line: line, flag: .module, given: memberModule.rawValue,
                                         column: Column.memberModule.label, found: cell)
        }
        return module
    }
}

/// Loads a related-list page, `GET /Campaigns/{id}/Contacts|Leads`, for the campaign given with
/// `--campaign`: each item's `id` is a member, its `Member_Status` the member's status.
///
/// Only the membership rows are stored. The items' other fields are a partial view of the member
/// records (whatever `fields` the call asked for); the records themselves come from the module's
/// own export, so that a partial view never overwrites a full one.
struct RelatedListLoader {
    let file: InputFile
    let document: JSONValue
    let campaignID: String
    let memberModule: Module
    let store: RecordStore

    func load() throws -> Tally {
        let reader = JSONReader(path: file.path)
        let writer = MembershipWriter(store: store)
        var tally = Tally()
        let (items, itemsPath) = try reader.dataArray(document)
        for (index, item) in items.enumerated() {
            let path = itemsPath.index(index)
            let object = try reader.object(item, at: path)
            let memberID = try reader.recordID(object["id"], at: path.key("id"))
            let status = try reader.optionalString(object["Member_Status"], at: path.key("Member_Status"))
            tally.count(try writer.upsert(Membership(campaignID: campaignID, memberModule: memberModule,
                                                     memberID: memberID, status: status)))
        }
        return tally
    }
}
