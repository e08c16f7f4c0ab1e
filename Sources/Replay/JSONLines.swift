import Catalogue
import Engine
import Formats

/// The `--json` lines: one per request, the Zoho envelope exactly, plus `$replica` per item with
/// `--explain` and `compare` with a comparison. A skipped request, which has no envelope, is
/// `{"$replica":{"skipped":"<why>"}}` so that line N is always request N. A request Zoho refused
/// whole, which was not run, is `{"$replica":{"refused":{"status","code"}}}` after the replica's
/// own refusal of it, if any. When the input recorded times, `$replica.clock` says what the
/// request was evaluated as of (`{"source","as_of"}`).
public enum JSONLines {
    public static func line(_ request: ReplayedRequest, settings: Settings, explain: Bool, differences: [Comparison.Difference]?,
                            clock: ReplayClock? = nil) -> String {
        var object = request.body.objectValue ?? [:]
        if let skipped = request.skipped {
            object = ["$replica": .object(["skipped": .string(skipped)])]
        } else if let refused = request.refused {
            object["$replica"] = .object(["refused": refused.json])
        } else if explain {
            object = VerdictJSON.explained(.object(object), items: request.items.map(\.result), settings: settings).objectValue ?? object
        }
        if let clock {
            var replica = object["$replica"]?.objectValue ?? [:]
            replica["clock"] = clock.json(for: request.input)
            object["$replica"] = .object(replica)
        }
        if let differences { object["compare"] = .array(differences.map(\.json)) }
        return JSON.write(.object(object))
    }
}
