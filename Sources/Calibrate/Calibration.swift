import Catalogue
import Engine
import Formats
import Replay
import Storage

/// What a calibration found: the combinations ranked, the evidence for each setting, and the
/// items no combination reproduces.
public struct Calibration: Sendable {
    /// One combination of settings and how many compared items it reproduces.
    public struct Ranked: Sendable {
        public let settings: Settings
        public let matched: Int
        /// The settings it sets off their value in the search's starting point, in `keys` order.
        public let changed: [Settings.Key]
    }

    /// What the items say about one setting.
    public struct Evidence: Sendable {
        public enum Verdict: Equatable, Sendable {
            /// Items need this value and none needs the other.
            case decided(String)
            /// Items need each value: something else differs between the replica and the org.
            case contradicted
            /// No item's answer depends on the setting: it was not tested.
            case noEvidence
        }

        public let key: Settings.Key
        /// For each value, how many items are reproduced only under it, in `validValues` order.
        public let needs: [(value: String, items: Int)]
        public let verdict: Verdict
        /// Why the setting was left out of the search: it cannot change any answer of the input.
        public let untested: String?
    }

    public let total: Int
    /// Every combination, best first: most items reproduced, then fewest settings changed, then
    /// in search order (defaults first).
    public let ranking: [Ranked]
    public let evidence: [Evidence]
    public let unexplained: [Unreproduced]
    /// Which clock judged the requests (each request's own time, `--as-of`, or now).
    public internal(set) var clock = ""

    public var best: Ranked? { ranking.first }

    /// The number of combinations replayed.
    public let combinations: Int

    init(keys: [Settings.Key], inert: [Settings.Key: String] = [:], combinations: [Settings], scores: [Score], base: Settings,
         unexplained: [Unreproduced]) {
        self.combinations = combinations.count
        total = scores.first?.items.count ?? 0
        ranking = zip(combinations, scores).enumerated().map { index, pair in
            (index, Ranked(settings: pair.0, matched: pair.1.matchedCount, changed: keys.filter { pair.0.value($0) != base.value($0) }))
        }
        .sorted { ($1.1.matched, $0.1.changed.count, $0.0) < ($0.1.matched, $1.1.changed.count, $1.0) }
        .map(\.1)
        evidence = keys.map { key in
            let needs = key.validValues.map { value -> (value: String, items: Int) in
                // Only where the other values were tried at all: a value alone in the search needs nothing.
                let triedOther = combinations.contains { $0.value(key) != value }
                let only = (0..<(scores.first?.items.count ?? 0)).filter { item in
                    var underValue = false, underOther = false
                    for (settings, score) in zip(combinations, scores) where score.matched[item] {
                        if settings.value(key) == value { underValue = true } else { underOther = true }
                    }
                    return triedOther && underValue && !underOther
                }
                return (value, only.count)
            }
            let needed = needs.filter { $0.items > 0 }
            let verdict: Evidence.Verdict = needed.isEmpty ? .noEvidence : needed.count == 1 ? .decided(needed[0].value) : .contradicted
            return Evidence(key: key, needs: needs, verdict: verdict, untested: inert[key])
        }
        self.unexplained = unexplained
    }

    /// The settings calibration may store: each decided one, with its value.
    public var decided: [(key: Settings.Key, value: String)] {
        evidence.compactMap { evidence in
            if case .decided(let value) = evidence.verdict { return (evidence.key, value) }
            return nil
        }
    }
}

/// A compared item that no combination reproduces.
public struct Unreproduced: Sendable {
    public enum Reason: Sendable {
        /// The record the real answer names is neither live nor in the recycle bin of the
        /// replica; `latestExport` is the newest export loaded for the module (file, time).
        case holderMissing(id: String, latestExport: (source: String, at: String)?)
        /// The real answer names a field the module's catalogue does not have.
        case unknownField(String, module: Module)
        /// A code the replica does not answer with (RECORD_LOCKED, NO_PERMISSION…).
        case unmodelledCode(String)
        /// None of the above: the org differs in a way no setting captures.
        case noSetting
    }

    public let request: Int
    public let item: Int
    public let source: String
    public let reason: Reason
    /// Where the prediction under the default combination differs.
    public let differences: [Comparison.Difference]
}

extension Unreproduced.Reason {
    public var sentence: String {
        switch self {
        case .holderMissing(let id, let latest):
            let export = latest.map { " (the newest export loaded for that module is \($0.source), loaded \($0.at))" } ?? ""
            return "the real answer names record \(id), which the replica does not hold: load a newer export\(export)"
        case .unknownField(let field, let module):
            return "the real answer names \(field), which the \(module.rawValue) field catalogue does not have: load the module's settings/fields answer"
        case .unmodelledCode(let code):
            return "Zoho answered \(code), a code the replica does not model"
        case .noSetting:
            return "no combination of settings reproduces it: the org differs in a way no setting captures"
        }
    }

    /// A short name for `--json`.
    public var kind: String {
        switch self {
        case .holderMissing: return "holder_missing"
        case .unknownField: return "unknown_field"
        case .unmodelledCode: return "unmodelled_code"
        case .noSetting: return "no_setting"
        }
    }
}
