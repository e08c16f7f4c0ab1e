import Engine
import Formats
import Replay

/// The calibration report, as text and as `--json`: the one place its wording and keys live.
public enum CalibrationReport {
    /// How many runners-up the report lists after the best combination.
    static let runnersUp = 5

    public static func text(_ calibration: Calibration, inputs: [String], applied: [(key: Settings.Key, value: String)]?) -> String {
        let combinations = calibration.combinations
        var lines: [String] = []
        let keys = Calibrator.keys
        let searched = calibration.evidence.filter { $0.untested == nil }.map(\.key)
        lines.append("Calibrated on \(calibration.total) compared item\(calibration.total == 1 ? "" : "s") from \(inputs.joined(separator: ", ")): "
                     + "\(combinations) combinations of \(searched.map(\.rawValue).joined(separator: ", "))"
                     + (searched.count < keys.count ? " (the others cannot change any answer of the input)." : "."))
        lines.append(calibration.clock.prefix(1).uppercased() + calibration.clock.dropFirst() + ".")
        if let best = calibration.best {
            lines.append("")
            lines.append("Best: \(best.matched) of \(calibration.total) reproduced with \(describe(best)).")
            let next = calibration.ranking.dropFirst().prefix(runnersUp)
            if !next.isEmpty {
                lines.append("Next:")
                for ranked in next { lines.append("  \(String(ranked.matched).leftPadded(6)) of \(calibration.total)  \(describe(ranked))") }
            }
        }
        lines.append("")
        lines.append("Evidence per setting (items reproduced only under one value):")
        for evidence in calibration.evidence {
            let counts = evidence.needs.map { "\($0.items) need \($0.value)" }.joined(separator: ", ")
            let verdict: String
            switch evidence.verdict {
            case .decided(let value): verdict = "decided: \(value)"
            case .contradicted: verdict = "contradicted: items need each value, so something else differs"
            case .noEvidence:
                verdict = evidence.untested.map { "not tested: \($0)" } ?? "no evidence: no item's answer depends on it, so its value stays"
            }
            lines.append("  \(evidence.key.rawValue.padded(24))\(counts.padded(36))\(verdict)")
        }
        if !calibration.unexplained.isEmpty {
            lines.append("")
            lines.append("Not reproduced by any combination (\(calibration.unexplained.count)):")
            for item in calibration.unexplained {
                lines.append("  request \(item.request + 1) (\(item.source)), item \(item.item): \(item.reason.sentence)")
                for difference in item.differences {
                    lines.append("      \(difference.field): predicted \(difference.predicted ?? "none"), real \(difference.real ?? "none")")
                }
            }
        }
        lines.append("")
        if let applied {
            lines.append(applied.isEmpty
                ? "Nothing stored: no setting was decided."
                : "Stored: " + applied.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", ") + " (`crm-replica settings` shows where each value comes from).")
        } else if !calibration.decided.isEmpty {
            lines.append("Run again with --apply to store the decided settings: "
                         + calibration.decided.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", ") + ".")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ calibration: Calibration, inputs: [String], applied: [(key: Settings.Key, value: String)]?) -> JSONValue {
        let combinations = calibration.combinations
        func ranked(_ ranked: Calibration.Ranked) -> JSONValue {
            .object(["settings": .object(ranked.settings.jsonObject(keys: Calibrator.keys)), "matched": .number(String(ranked.matched)),
                     "changed": .array(ranked.changed.map { .string($0.rawValue) })])
        }
        var object: JSONObject = [
            "inputs": .array(inputs.map(JSONValue.string)),
            "combinations": .number(String(combinations)),
            "items": .number(String(calibration.total)),
            "clock": .string(calibration.clock),
            "best": calibration.best.map(ranked) ?? .null,
            "ranking": .array(calibration.ranking.dropFirst().prefix(runnersUp).map(ranked)),
            "evidence": .array(calibration.evidence.map { evidence in
                var needs = JSONObject()
                for (value, items) in evidence.needs { needs[value] = .number(String(items)) }
                var entry: JSONObject = ["setting": .string(evidence.key.rawValue), "needs": .object(needs)]
                switch evidence.verdict {
                case .decided(let value):
                    entry["verdict"] = .string("decided")
                    entry["value"] = json(evidence.key, value)
                case .contradicted: entry["verdict"] = .string("contradicted")
                case .noEvidence: entry["verdict"] = .string("no_evidence")
                }
                if let untested = evidence.untested { entry["untested"] = .string(untested) }
                return .object(entry)
            }),
            "unreproduced": .array(calibration.unexplained.map { item in
                .object(["request": .number(String(item.request)), "item": .number(String(item.item)), "source": .string(item.source),
                         "reason": .string(item.reason.kind), "explanation": .string(item.reason.sentence),
                         "differences": .array(item.differences.map { difference in
                             .object(["field": .string(difference.field), "predicted": difference.predicted.map(JSONValue.string) ?? .null,
                                      "real": difference.real.map(JSONValue.string) ?? .null])
                         })])
            }),
        ]
        if let applied {
            var stored = JSONObject()
            for (key, value) in applied { stored[key.rawValue] = json(key, value) }
            object["applied"] = .object(stored)
        }
        return .object(object)
    }

    /// `value` typed as `settings --json` shows it (a JSON bool for the switches).
    static func json(_ key: Settings.Key, _ value: String) -> JSONValue {
        var settings = Settings()
        guard (try? settings.set(key, value)) != nil else { return .string(value) }
        return settings.jsonObject(keys: [key])[key.rawValue] ?? .string(value)
    }

    /// "recycle_bin_counts=true, multi_match=oldest", or "the settings as they are".
    static func describe(_ ranked: Calibration.Ranked) -> String {
        ranked.changed.isEmpty
            ? "the settings as they are"
            : ranked.changed.map { "\($0.rawValue)=\(ranked.settings.value($0))" }.joined(separator: ", ") + " (the others as they are)"
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
