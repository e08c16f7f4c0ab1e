import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Replay
import Replay
import Storage

/// The pages' content, built from the same objects the commands print: `why --json` for the Why
/// and Record pages, the replay report for the Replay page. Values go into templates that
/// HTML-escape them; invisible characters are shown escaped, as the terminal shows them.
struct PageViews {
    let context: PageContext

    func home() throws -> Page {
        let db = context.replica.db
        let counts = try ReplicaCounts(db: db).rows.map { ["name": $0.name, "count": $0.count] as [String: Any] }
        let imports = try ImportLog.history(db).map {
            ["time": $0.at, "file": $0.source, "module": $0.module ?? "", "records": $0.read, "kind": $0.kind] as [String: Any]
        }
        var object = searchForm(value: "", module: .contacts, operation: .upsert)
        object.merge(["database": context.database, "counts": counts, "imports": imports, "has_imports": !imports.isEmpty,
                      "settings": try settingRows()]) { $1 }
        return .html("home", title: "The replica at a glance", object)
    }

    func settings() throws -> Page {
        let note = Settings.calibrationNote(context.settings, sources: try Settings.sources(context.replica.db))
        return .html("settings", title: "Settings", ["settings": try settingRows(), "calibration": note.map { [$0] } ?? []])
    }

    private func settingRows() throws -> [[String: Any]] {
        let sources = try Settings.sources(context.replica.db)
        return Settings.Key.allCases.map {
            ["key": $0.rawValue, "value": context.settings.value($0), "source": sources[$0]?.description ?? "default", "decides": $0.decides]
        }
    }

    func why(_ query: PageForm, batch: PageBatches.Batch?) throws -> Page {
        guard let value = query["value"], !value.isEmpty else {
            return .html("why", title: "Why is this email a duplicate?", searchForm(value: "", module: .contacts, operation: .upsert))
        }
        guard let module = Module(name: query.filled("module") ?? "Contacts"),
              let operation = WriteOperation(rawValue: query.filled("operation") ?? "upsert"), operation != .update else {
            return .problem(400, "module must be Contacts, Leads or Campaigns, and operation upsert or insert.", back: "/why")
        }
        var question = WhyQuestion(value: value, module: module, operation: operation, field: query.filled("field") ?? "Email",
                                   duplicateCheckFields: nil, settings: context.settings, asOf: context.asOf)
        let report: JSONValue
        do {
            if let batch {
                guard let row = query.filled("row").flatMap(Int.init), row >= 0 else {
                    return .problem(400, "row must be a number from 0, the row's place in the batch.", back: "/replay")
                }
                try ask(&question, about: batch, row: row)
            }
            report = try Explainer(db: context.replica.db).explain(question).json
        } catch let error as WhyError {
            return .problem(400, error.description, back: "/why")
        } catch let error as ReplayError {
            return .problem(400, error.description, back: "/replay")
        }
        var object = searchForm(value: value, module: question.module, operation: question.operation)
        object.merge(Self.whyObject(report)) { $1 }
        return .html("why", title: "Why: \(Matching.visible(value))", object)
    }

    /// Makes `question` about row `row` of a batch replayed on the page, judged as its request's call.
    private func ask(_ question: inout WhyQuestion, about batch: PageBatches.Batch, row number: Int) throws {
        let input = try ReplayReader(options: batch.options, store: RecordStore(db: context.replica.db)).read(name: batch.name, bytes: batch.bytes)
        let located = try ReplayRow.locate(in: input, path: batch.name, request: nil, row: number)
        question.module = located.call.module
        question.operation = located.call.operation
        // As the Replay page ran it: every request as of the server's clock.
        question.batch = located.batchRow(in: input, asOf: context.asOf, fallback: context.asOf)
    }

    /// The `why --json` report as template values: the verdict's fields at the top level.
    static func whyObject(_ report: JSONValue) -> [String: Any] {
        var object = plain(report) as? [String: Any] ?? [:]
        if let verdict = object["verdict"] as? [String: Any] { object.merge(verdict) { $1 } }
        object["fails"] = report["verdict"]?["code"]?.stringValue != Outcome.Code.success.rawValue
        object["matches"] = holders(report["matches"])
        object["depends_on"] = (report["depends_on"]?.arrayValue ?? []).map { alternative -> [String: Any] in
            var row = plain(alternative["verdict_then"] ?? .null) as? [String: Any] ?? [:]
            row["setting"] = alternative["setting"]?.stringValue
            row["other_value"] = alternative["other_value"].map { $0.stringValue ?? JSON.write($0) }
            return row
        }
        for key in ["matches", "depends_on", "advice", "notes"] { object["has_\(key)"] = !((object[key] as? [Any]) ?? []).isEmpty }
        return object
    }

    /// The holders table's rows: every value shown with its invisible characters escaped, and
    /// "counts" as a word ("no: why not"), never a colour alone.
    static func holders(_ matches: JSONValue?) -> [[String: Any]] {
        (matches?.arrayValue ?? []).map { match in
            var row = plain(match) as? [String: Any] ?? [:]
            row["stored_value"] = Matching.visible(match["stored_value"]?.stringValue ?? "")
            let whyNot = match["why_not_counted"].map { $0.stringValue ?? $0["reason"]?.stringValue ?? JSON.write($0) }
            row["counts"] = match["counts"]?.boolValue == true ? "yes" : "no" + (whyNot.map { ": \($0)" } ?? "")
            return row
        }
    }

    func record(id: String) throws -> Page {
        let store = RecordStore(db: context.replica.db)
        guard let stored = try store.find(id: RecordID.normalize(id) ?? id) else {
            return .problem(404, "No record with id \(id) in the replica (looked in Contacts, Leads, Campaigns and the recycle bin).")
        }
        let ownID = stored.record.id ?? id
        let fields = stored.record.fields.map { name, value -> [String: Any] in
            ["name": Matching.visible(name), "value": value.stringValue.map(Matching.visible) ?? JSON.write(value)]
        }
        // The other holders are `why`'s own answer about each of the record's email and unique values.
        let catalogue = try FieldCatalogue.load(context.replica.db, module: stored.module)
        let checked = ["Email", "Secondary_Email"] + catalogue.uniqueFields.map(\.apiName).filter { $0 != "Email" && $0 != "Secondary_Email" }
        var campaigns: [String] = []
        var shared: [[String: Any]] = []
        for field in checked {
            guard let value = stored.record.fields[field]?.stringValue, !value.isEmpty else { continue }
            let question = WhyQuestion(value: value, module: stored.module == .campaigns ? .contacts : stored.module, operation: .upsert,
                                       field: field, duplicateCheckFields: nil, settings: context.settings, asOf: context.asOf)
            guard let report = try? Explainer(db: context.replica.db).explain(question).json else { continue }
            let all = report["matches"]?.arrayValue ?? []
            for campaign in all.filter({ $0["record_id"]?.stringValue == ownID }).flatMap({ $0["campaigns"]?.arrayValue ?? [] }) {
                let status = campaign["member_status"]?.stringValue.map { " (\($0))" } ?? ""
                let name = (campaign["name"]?.stringValue ?? campaign["id"]?.stringValue ?? JSON.write(campaign)) + status
                if !campaigns.contains(name) { campaigns.append(name) }
            }
            let others = Self.holders(.array(all.filter { $0["record_id"]?.stringValue != ownID }))
            shared.append(["field": field, "value": Matching.visible(value), "matches": others, "has_matches": !others.isEmpty])
        }
        var object: [String: Any] = [
            "module": stored.module.rawValue, "place": stored.location == .live ? "live" : "in the recycle bin",
            "fields": fields, "campaigns": campaigns, "has_campaigns": !campaigns.isEmpty, "shared": shared, "partial": !stored.fieldsKnown,
        ]
        if let deletion = stored.deletion {
            object["deleted"] = ["time": deletion.time ?? "at an unknown time", "by": deletion.byName ?? "someone unknown"]
        }
        return .html("record", title: "Record \(ownID)", object)
    }

    /// The search box's values, with the current choice selected.
    func searchForm(value: String, module: Module, operation: WriteOperation) -> [String: Any] {
        [
            "value": value,
            "modules": Module.allCases.map { ["name": $0.rawValue, "selected": $0 == module] as [String: Any] },
            "operations": [WriteOperation.upsert, .insert].map { ["name": $0.rawValue, "selected": $0 == operation] as [String: Any] },
        ]
    }

    /// Our JSON as the plain values templates walk; nulls are left out, so a section on them is empty.
    static func plain(_ value: JSONValue) -> Any? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag
        case .string(let text): return text
        case .number(let digits): return digits
        case .array(let items): return items.compactMap(plain)
        case .object(let object): return Dictionary(uniqueKeysWithValues: object.compactMap { key, value in plain(value).map { (key, $0) } })
        }
    }
}
