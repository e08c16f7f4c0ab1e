import Catalogue
import Engine

/// The human report: the settings in force once, then per request a summary (added, updated,
/// failed by code) and each failure with its reason in one sentence, the notes, what was
/// skipped or refused, and the comparison. Invisible characters in values show escaped
/// (`Matching.visible`). With `explain`, every item also shows its evidence (`Explanation.lines`).
public enum ReplayText {
    public static func render(_ report: ReplayReport, comparison: Comparison?, explain: Bool = false) -> String {
        var lines = [
            "Settings in force: " + Settings.Key.allCases.map { "\($0.rawValue)=\(report.settings.value($0))" }.joined(separator: ", "),
            report.committed ? "Committed: the writes are kept in the replica." : "Dry run: the replica is unchanged (pass --commit to keep the writes).",
        ]
        if let note = Settings.calibrationNote(report.settings, sources: report.sources) { lines.insert(note, at: 1) }
        for request in report.requests {
            lines.append("")
            lines += self.request(request, explain: explain)
        }
        if !report.ignored.isEmpty {
            lines.append("")
            lines.append("\(report.ignored.count) HAR entr\(report.ignored.count == 1 ? "y" : "ies") outside /crm/ ignored:")
            lines += report.ignored.map { "  \($0.source): \($0.method) \($0.url)" }
        }
        lines.append("")
        let skipped = report.skipped.count
        var aside = skipped > 0 ? ["\(skipped) skipped"] : []
        let refused = report.refused.compactMap(\.refused)
        if !refused.isEmpty {
            let causes = refused.reduce(into: [Tally.Count]()) { Tally.bump(&$0, $1.cause) }
            aside.append("\(refused.count) refused by Zoho, not applied: " + causes.map { "\($0.name) \($0.count)" }.joined(separator: ", "))
        }
        lines.append("Total: \(report.requests.count) request\(report.requests.count == 1 ? "" : "s")"
            + (aside.isEmpty ? "" : " (" + aside.joined(separator: "; ") + ")") + ", " + summary(report.tally) + ".")
        if let clock = report.clock { lines.append(clock.text.prefix(1).uppercased() + clock.text.dropFirst() + ".") }
        if let comparison { lines += compared(comparison) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func request(_ request: ReplayedRequest, explain: Bool = false) -> [String] {
        let title = "Request \(request.index + 1): \(call(request)) (\(request.input.source))"
        if let skipped = request.skipped { return ["\(title): skipped: \(skipped)"] }
        if let refused = request.refused {
            var line = "\(title): refused by Zoho: \(refused), not applied"
            if let code = request.body["code"]?.stringValue {
                line += (code == refused.code ? "; the replica refuses it too" : "; the replica would refuse it with \(code)") + limit(request)
            }
            return [line + "."]
        }
        if request.items.isEmpty, let code = request.body["code"]?.stringValue {
            return ["\(title): refused whole with \(code)\(limit(request)); nothing in it was written."]
        }
        // Bulk Write reports rows it did not write as SKIPPED, whatever the error.
        var lines = ["\(title): " + summary(request.tally, notWritten: request.input.bulkWrite == nil ? "failed" : "skipped")]
        var notes: [(note: String, labels: [String])] = request.input.notes.map { ($0, []) }
        // By index: binding each item would copy its verdict (and retain everything in it).
        for index in request.items.indices {
            let code = request.items[index].result.code
            let itemNotes = request.items[index].result.notes
            guard code != .success || !itemNotes.isEmpty || explain else { continue }
            let label = self.label(request, index)
            if code != .success {
                let result = request.items[index].result
                let field = result.item["details"]?["api_name"]?.stringValue.map { " on \($0)" } ?? ""
                lines.append("  \(label): \(code.rawValue)\(field). \(Matching.visible(result.reason))")
            } else if explain {
                let action = request.items[index].action.map { " (\($0.rawValue))" } ?? ""
                lines.append("  \(label): \(code.rawValue)\(action). \(Matching.visible(request.items[index].result.reason))")
            }
            if explain { lines += Explanation.lines(request.items[index]) }
            for note in itemNotes.map(\.text) {
                if let existing = notes.firstIndex(where: { $0.note == note }) {
                    notes[existing].labels.append(label)
                } else {
                    notes.append((note, [label]))
                }
            }
        }
        lines += notes.map { note in
            let shown = note.labels.prefix(5).joined(separator: ", ") + (note.labels.count > 5 ? " and \(note.labels.count - 5) more" : "")
            return "  note" + (note.labels.isEmpty ? "" : " (\(shown))") + ": " + Matching.visible(note.note)
        }
        return lines
    }

    /// ` (the limit is 100)` from a request-level answer. Only for requests without items: the
    /// `body` of one with items is its whole envelope, built on each call.
    static func limit(_ request: ReplayedRequest) -> String {
        request.body["details"]?["limit"]?.stringValue.map { " (the limit is \($0))" } ?? ""
    }

    /// `POST /crm/v2/Contacts/upsert`, or for a Bulk Write batch its operation, find_by and lines.
    static func call(_ request: ReplayedRequest) -> String {
        guard let chunk = request.input.bulkWrite else { return "\(request.input.request.method) \(request.input.request.path)" }
        let lines = chunk.rows.first.map { first in "lines \(first.line)-\(chunk.rows.last?.line ?? first.line)" } ?? "no rows"
        return "Bulk Write \(chunk.operation.rawValue) of \(chunk.module.rawValue)" + (chunk.findBy.map { ", find_by \($0)" } ?? "") + ", \(lines)"
    }

    /// Where an item sits in the input: the CSV line of a Bulk Write row, else its JSON path.
    public static func label(_ request: ReplayedRequest, _ index: Int) -> String {
        if let rows = request.input.bulkWrite?.rows, index < rows.count { return "line \(rows[index].line)" }
        if case .records = request.route { return "$.data[\(index)]" }
        return "item \(index)"
    }

    public static func summary(_ tally: Tally, notWritten: String = "failed") -> String {
        var parts = ["\(tally.items) item\(tally.items == 1 ? "" : "s")", "\(tally.added) added", "\(tally.updated) updated"]
        parts += tally.otherSuccesses.map { "\($0.count) \($0.name)" }
        let failures = tally.failureList
        parts.append("\(tally.failed) \(notWritten)" + (failures.isEmpty ? "" : " (\(failures))"))
        return parts.joined(separator: ", ")
    }

    static func compared(_ comparison: Comparison) -> [String] {
        let count = comparison.differences.count
        let head = "Compared \(comparison.compared) request\(comparison.compared == 1 ? "" : "s") with the real answers: "
            + (count == 0 ? "no differences." : "\(count) difference\(count == 1 ? "" : "s"):")
        return [head] + comparison.differences.map { "  \($0)" }
    }
}
