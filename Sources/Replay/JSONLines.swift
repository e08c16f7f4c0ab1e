import Catalogue
import Engine
import Formats

/// The `--json` lines: one per request, the Zoho envelope exactly, plus `$replica` per item with
/// `--explain` and `compare` with a comparison. A skipped request, which has no envelope, is
/// `{"$replica":{"skipped":"<why>"}}` so that line N is always request N. A request Zoho refused
/// whole, which was not run, is `{"$replica":{"refused":{"status","code"}}}` after the replica's
/// own refusal of it, if any.
public enum JSONLines {
    public static func line(_ request: ReplayedRequest, settings: Settings, explain: Bool, differences: [Comparison.Difference]?) -> String {
        var object = request.body.objectValue ?? [:]
        if let skipped = request.skipped {
            object = ["$replica": .object(["skipped": .string(skipped)])]
        } else if let refused = request.refused {
            object["$replica"] = .object(["refused": refused.json])
        } else if explain {
            object = VerdictJSON.explained(.object(object), items: request.items.map(\.result), settings: settings).objectValue ?? object
        }
        if let differences { object["compare"] = .array(differences.map(\.json)) }
        return JSON.write(.object(object))
    }
}
