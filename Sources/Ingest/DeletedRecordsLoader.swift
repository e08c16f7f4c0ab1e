import Catalogue
import Formats
import Storage

/// Loads a deleted-records page (`GET /{Module}/deleted`) into the recycle bin.
///
/// Each item becomes a bin row. A record known live from an earlier export moves to the bin with
/// its fields (counted as updated: a known record changed place); a record already in the bin
/// gets the new deletion details (its fields stay); an unknown id becomes a bin row without
/// fields (inserted). Details the item leaves null keep what the bin already says, so reloading
/// the same page changes nothing.
///
/// An older page loaded after newer data is `stale`, as an older export's rows are: a bin row
/// deleted later than the item says stays as it is, and so does a live record modified after
/// the item's `deleted_time` (it was restored since). Times compare as `Staleness` says.
struct DeletedRecordsLoader {
    let file: InputFile
    let document: JSONValue
    let module: Module
    let store: RecordStore

    private var reader: JSONReader { JSONReader(path: file.path) }

    func load() throws -> Tally {
        let (items, itemsPath) = try reader.dataArray(document)
        var tally = Tally()
        for (index, item) in items.enumerated() {
            let path = itemsPath.index(index)
            let object = try reader.object(item, at: path)
            let id = try reader.recordID(object["id"], at: path.key("id"))
            tally.count(item: try bin(id: id, deletion: try deletion(object, at: path)))
        }
        return tally
    }

    private func bin(id: String, deletion: Deletion) throws -> ItemOutcome {
        if let binned = try store.findInBin(id: id) {
            if Staleness.isStale(incoming: deletion.time, stored: binned.deletion?.time) { return .stale }
            let merged = deletion.filled(from: binned.deletion)
            if binned.module == module && merged == binned.deletion { return .unchanged }
            try store.writeBin(binned.fieldsKnown ? binned.record : nil, module: module, id: id, deletion: merged)
            return .updated
        }
        if let live = try store.find(module: module, id: id),
           Staleness.isStale(incoming: deletion.time, stored: live.record.text("Modified_Time")) {
            return .stale
        }
        if try store.moveToBin(module: module, id: id, deletion: deletion) { return .updated }
        try store.writeBin(nil, module: module, id: id, deletion: deletion)
        return .inserted
    }

    /// `id, display_name, type, deleted_by{name,id}, created_by{name,id}, deleted_time`; v2 spells
    /// `Created_By`. Permanent items carry nulls (docs/zoho-facts.md#recycle-bin).
    private func deletion(_ item: JSONObject, at path: JSONPath) throws -> Deletion {
        let type = try reader.optionalString(item["type"], at: path.key("type")) ?? "recycle"
        guard type == "recycle" || type == "permanent" else {
            throw reader.mismatch(item["type"], at: path.key("type"), expected: "\"recycle\" or \"permanent\"")
        }
        let createdKey = item["created_by"] != nil ? "created_by" : "Created_By"
        let deletedBy = try user(item["deleted_by"], at: path.key("deleted_by"))
        let createdBy = try user(item[createdKey], at: path.key(createdKey))
        return Deletion(time: try reader.optionalString(item["deleted_time"], at: path.key("deleted_time")),
                        byName: deletedBy?.name, byID: deletedBy?.id, type: type,
                        displayName: try reader.optionalString(item["display_name"], at: path.key("display_name")),
                        createdByName: createdBy?.name, createdByID: createdBy?.id)
    }

    /// `{"name":…,"id":…}` or null. User ids are kept as text, from a string or a number.
    private func user(_ value: JSONValue?, at path: JSONPath) throws -> (name: String?, id: String?)? {
        switch value {
        case nil, .null?:
            return nil
        case .object(let user)?:
            let id: String?
            switch user["id"] {
            case nil, .null?: id = nil
            case .string(let text)?, .number(let text)?: id = text
            default: throw reader.mismatch(user["id"], at: path.key("id"), expected: "a user id (string or number) or null")
            }
            return (try reader.optionalString(user["name"], at: path.key("name")), id)
        default:
            throw reader.mismatch(value, at: path, expected: "an object {\"name\",\"id\"} or null")
        }
    }
}

extension Deletion {
    /// These details, with the ones left out taken from `stored`.
    func filled(from stored: Deletion?) -> Deletion {
        guard let stored else { return self }
        return Deletion(time: time ?? stored.time, byName: byName ?? stored.byName, byID: byID ?? stored.byID, type: type,
                        displayName: displayName ?? stored.displayName, createdByName: createdByName ?? stored.createdByName,
                        createdByID: createdByID ?? stored.createdByID)
    }
}
