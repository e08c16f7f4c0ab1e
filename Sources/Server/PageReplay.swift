import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Storage

/// The Replay page: the form, and a dry run of what it holds rendered from `replay`'s own report
/// (the same summary, reasons and answers the command prints), row by row.
extension PageViews {
    func replay(form: PageForm, report: [String: Any]?) throws -> Page {
        let module = form.filled("module").flatMap { Module(name: $0) } ?? .contacts
        let operation = form.filled("operation").flatMap { WriteOperation(rawValue: $0) } ?? .upsert
        var object = searchForm(value: "", module: module, operation: operation)
        object["operations"] = WriteOperation.allCases.map { ["name": $0.rawValue, "selected": $0 == operation] as [String: Any] }
        object.merge(["payload": form["payload"] ?? "", "find_by": form["find_by"] ?? "", "set": form["set"] ?? "",
                      "limit": "\(WebPages.uploadLimit / 1024 / 1024) MiB"]) { $1 }
        if let report { object["report"] = report }
        return .html("replay", title: "Replay a batch", object)
    }

    /// Reads the upload (or the pasted text), replays it without writing, and renders the answer
    /// as a page or as one of the two downloads.
    func runReplay(_ form: PageForm, overrides: [String]) throws -> Page {
        let upload = form.fields["file"].flatMap { $0.isEmpty ? nil : $0 }
        guard let bytes = upload ?? form.filled("payload").map({ Array($0.utf8) }) else {
            return .problem(400, "Paste a batch or choose a file to replay.", back: "/replay")
        }
        guard bytes.count <= WebPages.uploadLimit else {
            return .problem(413, "The batch is larger than \(WebPages.uploadLimit / 1024 / 1024) MiB; nothing was read.", back: "/replay")
        }
        let name = upload != nil ? (form.fileNames["file"].flatMap { $0.isEmpty ? nil : $0 } ?? "upload") : "pasted batch"
        let replayer = Replayer(replica: context.replica, settings: context.settings, asOf: context.asOf)
        var options = ReadOptions()
        options.batchLimit = context.settings.batchLimit
        let input: ReplayInput
        let report: ReplayReport
        do {
            options.module = try form.filled("module").map(ReadOptions.module(named:))
            options.operation = try ReadOptions.operation(named: form.filled("operation") ?? "upsert")
            options.findBy = form.filled("find_by")
            input = try ReplayReader(options: options, store: replayer.session.store).read(name: name, bytes: bytes)
            report = try replayer.run(input, commit: false)
        } catch let error as ReplayError {
            return .problem(400, error.description, back: "/replay")
        }
        let comparison = input.carriesRealAnswers ? Comparison(report: report) : nil
        switch form["download"] {
        case "json":
            let lines = report.requests.map { JSONLines.line($0, settings: report.settings, explain: false, differences: nil, clock: report.clock) }
            return .download(lines.joined(separator: "\n") + "\n", type: "application/x-ndjson", name: "answers.ndjson")
        case "csv":
            return .download(ResultTable(report: report).csv, type: "text/csv; charset=utf-8", name: "result.csv")
        default:
            let key = PageBatches.shared.keep(.init(name: name, bytes: bytes, options: options, overrides: overrides))
            return try replay(form: form, report: try reportObject(report, comparison: comparison, batch: key))
        }
    }

    private func reportObject(_ report: ReplayReport, comparison: Comparison?, batch: String) throws -> [String: Any] {
        var rows: [[String: Any]] = []
        var number = 0
        for request in report.requests {
            let records = request.input.request.body?["data"]?.arrayValue ?? []
            let module = ReplayPageRoute.module(request.route)
            let unique = try module.map { try FieldCatalogue.load(context.replica.db, module: $0).uniqueFields.map(\.apiName) } ?? []
            let real = request.input.realResponse.map(Comparison.items) ?? []
            for index in request.items.indices {
                number += 1
                let result = request.items[index].result
                let record = index < records.count ? records[index] : JSONValue.null
                let email = record["Email"]?.stringValue ?? ""
                let uniques = unique.filter { $0 != "Email" }.compactMap { field in
                    record[field].map { "\(field)=\(Matching.visible($0.stringValue ?? JSON.write($0)))" }
                }
                var row: [String: Any] = [
                    "row": number, "label": ReplayText.label(request, index), "email": Matching.visible(email), "unique": uniques.joined(separator: ", "),
                    "code": result.code.rawValue, "reason": Matching.visible(result.reason),
                ]
                row["action"] = request.items[index].action?.rawValue
                // An inserted record exists only in the rolled-back dry run: no page to link to.
                if request.items[index].action != .insert { row["holder"] = result.item["details"]?["id"]?.stringValue }
                if index < real.count { row["real_code"] = real[index]["code"]?.stringValue ?? "" }
                if !email.isEmpty, let module, let operation = ReplayPageRoute.operation(request.route) {
                    // The row's place in the batch (counted across requests, from 0, as `why --row`).
                    row["why"] = "/why?" + [("value", email), ("module", module.rawValue), ("operation", operation.rawValue),
                                            ("batch", batch), ("row", String(number - 1))]
                        .map { "\($0)=\(Self.percentEncoded($1))" }.joined(separator: "&")
                }
                rows.append(row)
            }
        }
        // The causes are `demo`'s, from the same digest of the items: one bar per cause, labelled.
        let digest = BatchDigest(items: report.requests.flatMap(\.items), field: "Email")
        let most = max(digest.failures.map(\.rows.count).max() ?? 1, 1)
        let bars = digest.failures.enumerated().map { index, cause -> [String: Any] in
            let width = max(2, 200 * cause.rows.count / most)
            return ["y": index * 44 + 22, "text_y": index * 44 + 14, "count_y": index * 44 + 36, "width": width, "count_x": width + 8,
                    "label": Matching.visible(cause.title), "count": cause.rows.count]
        }
        let surprises = digest.surprises.map { "\($0.rows.count) × \(Matching.visible($0.title))" }
        var object: [String: Any] = [
            "summary": "\(report.requests.count) request\(report.requests.count == 1 ? "" : "s"): \(ReplayText.summary(report.tally)).",
            "rows": rows, "real": comparison != nil, "surprises": surprises, "has_surprises": !surprises.isEmpty,
        ]
        if !bars.isEmpty { object["chart"] = ["bars": bars, "height": 10 + bars.count * 44] }
        if let comparison {
            object["differences"] = comparison.differences.map(\.description)
            object["has_differences"] = !comparison.differences.isEmpty
            object["compared"] = comparison.matches ? ["Compared with the real answers in the input: no differences."] : []
        }
        return object
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

/// What a replayed request's route says about its rows, for the page's links and summary.
enum ReplayPageRoute {
    static func module(_ route: Route) -> Module? {
        if case .records(let module, _, _) = route { return module }
        return nil
    }

    static func operation(_ route: Route) -> WriteOperation? {
        if case .records(_, let operation, _) = route, operation != .update { return operation }
        return nil
    }
}
