import Catalogue
import Engine
import Storage

/// The human `why` output: a story a Zoho admin reads in ten seconds. The verdict first in one
/// sentence, then who holds the value, what would change the verdict, and what to do.
/// Invisible characters are escaped (`fay\u200B@example.com`) so the difference shows.
public struct WhyTextRenderer {
    /// ANSI colour; the CLI turns it on only when stdout is a terminal.
    public var colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    public func render(_ report: WhyReport) -> String {
        var lines = [headline(report)]
        let causes = report.verdict.causes
        if causes.isEmpty {
            lines.append("  " + report.verdict.reason)
        } else {
            // One failure with several causes: each on its own line, as Zoho lists them.
            lines.append("  " + Reason.severalClashesHead(causes.count))
            lines += causes.enumerated().map { "    \($0.offset + 1). \($0.element)" }
        }
        lines.append("")
        lines += holders(report)
        lines += ["", style("What would change it", .bold)]
        if report.dependsOn.isEmpty {
            lines.append("  No other setting value changes this verdict.")
        }
        for dependency in report.dependsOn {
            lines.append("  - with \(dependency.setting.rawValue)=\(dependency.value): \(summary(dependency.verdict.outcome, module: report.module))")
            lines.append(style("    " + dependency.verdict.reason, .dim))
        }
        if !report.advice.isEmpty {
            lines += ["", style("What you can do", .bold)] + report.advice.map { "  - " + $0 }
        }
        if !report.notes.isEmpty {
            lines += ["", style("Notes", .bold)] + report.notes.map { "  - " + $0 }
        }
        if let sql = report.sql { lines += [""] + statements(sql) }
        lines += ["", style(footer(report), .dim)]
        return lines.joined(separator: "\n")
    }

    // MARK: Sections

    private func headline(_ report: WhyReport) -> String {
        let subject = report.batch.map { batch in
            "Row \(batch.row) of " + (batch.request.map { "request \($0.index) at \($0.at)" } ?? batch.source)
                + " (a \(report.module.rawValue) \(report.operation.rawValue))"
        }
            ?? "A \(report.module.rawValue) \(report.operation.rawValue) of \(report.field) `\(Matching.visible(report.value))`"
        let outcome = report.verdict.outcome
        let code = style(outcome.code.rawValue, outcome.isSuccess ? .green : .red)
        return code + style(": \(subject) \(predicate(outcome, module: report.module)).", .bold)
    }

    /// What the outcome does, as the end of a sentence.
    private func predicate(_ outcome: Outcome, module: Module) -> String {
        let field = outcome.apiName ?? "the record"
        switch outcome.code {
        case .success:
            guard outcome.action == .update, let id = outcome.recordID else { return "adds a new \(module.singular)" }
            return "updates \(module.singular) \(id)" + (outcome.duplicateField.map { ", matched on \($0)" } ?? "")
        case .duplicateData:
            let holder = outcome.recordID.map { " because of \((outcome.recordModule ?? module).singular) \($0)" } ?? ""
            return "fails on \(field)\(holder)" + (outcome.moreRecords ? " (and more records hold it)" : "")
        case .multipleErrors:
            let fields = outcome.errors.compactMap(\.apiName)
            return "fails on \(fields.joined(separator: " and ")), one error for each"
        default:
            return "fails on \(field)"
        }
    }

    private func summary(_ outcome: Outcome, module: Module) -> String {
        "\(outcome.code.rawValue), \(predicate(outcome, module: module))"
    }

    private func holders(_ report: WhyReport) -> [String] {
        guard !report.matches.isEmpty else {
            let nobody = report.fieldChecked
                ? "  Nobody: no live record, recycle-bin row or record of the other module holds this value."
                : "  Not looked up: a \(report.module.rawValue) \(report.operation.rawValue) does not check \(report.field), so the engine searched for no holder."
            return [style("Who holds it", .bold), nobody]
        }
        let header = ["MODULE", "WHERE", "RECORD ID", "FIELD", "STORED VALUE", "MATCH", "COUNTS"]
        let rows = report.matches.map { match -> [String] in
            let c = match.candidate
            return [c.module.rawValue, place(c.location), c.recordID, c.field, Matching.visible(c.storedValue), c.match.rawValue,
                    c.counts ? "yes" : "no: " + (c.whyNotCounted?.text ?? "it does not count")]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "  " + cells.enumerated().map { column, cell in
                // Padded by Characters: NSString padding counts UTF-16 units and cuts a decomposed é short.
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[column] - cell.count))
            }.joined(separator: "  ")
        }
        var lines = [style("Who holds it", .bold), style(line(header), .dim)]
        for (match, row) in zip(report.matches, rows) {
            lines.append(match.candidate.counts ? line(row) : style(line(row), .dim))
        }
        for match in report.matches { lines += details(match) }
        return lines
    }

    /// Deletion and campaign facts that do not fit a table cell.
    private func details(_ match: Match) -> [String] {
        let c = match.candidate
        let name = "\(c.module.singular) \(c.recordID)"
        var lines: [String] = []
        if c.location == .recycleBin {
            lines.append("  \(name) was deleted \(c.deletedTime ?? "at an unknown time")\(c.deletedBy.map { " by \($0)" } ?? "").")
        }
        for campaign in match.campaigns {
            let title = campaign.campaignName.map { "\($0) (\(campaign.campaignID))" } ?? "campaign \(campaign.campaignID)"
            let inactive = c.location == .recycleBin ? ", inactive while in the recycle bin" : ""
            lines.append("  \(name) is a member of \(title), Member_Status \(campaign.memberStatus ?? "not set")\(inactive).")
        }
        return lines
    }

    private func place(_ location: HolderLocation) -> String {
        switch location {
        case .live: return "live"
        case .recycleBin: return "recycle bin"
        case .batch(let row): return "batch row \(row)"
        }
    }

    private func statements(_ sql: [ExecutedStatement]) -> [String] {
        var lines = [style("SQL the evaluator ran (\(sql.count) statement\(sql.count == 1 ? "" : "s"))", .bold)]
        for statement in sql {
            let text = statement.sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            lines.append("  " + text)
            let bound = statement.arguments.map { Matching.visible($0.description) }.joined(separator: ", ")
            lines.append(style("    bound: " + (bound.isEmpty ? "nothing" : bound), .dim))
        }
        return lines
    }

    private func footer(_ report: WhyReport) -> String {
        let settings = Settings.Key.allCases.map { "\($0.rawValue)=\(report.settings.value($0))" }.joined(separator: ", ")
        let pattern = report.checkPattern.fields.isEmpty ? "none" : report.checkPattern.fields.joined(separator: ", ")
        return "Check pattern: \(pattern). Settings: \(settings)." + (report.calibration.map { "\n" + $0 } ?? "")
    }

    // MARK: Colour

    private enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32"
    }

    private func style(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
