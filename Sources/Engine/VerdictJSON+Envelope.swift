import Formats

extension VerdictJSON {
    /// `envelope` with each item's evidence under `"$replica"` (`replay --explain --json` and the
    /// server's `X-CRM-Replica-Explain: 1`): both must print the same bytes for the same call, so
    /// the merge is written once. An envelope without one item per answer (a request-level error)
    /// is returned as it is.
    public static func explained(_ envelope: JSONValue, items: [ItemResult], settings: Settings) -> JSONValue {
        guard case .object(var object) = envelope, case .array(let data)? = object["data"], data.count == items.count else {
            return envelope
        }
        object["data"] = .array(zip(data, items).map { json, item in
            guard case .object(var fields) = json else { return json }
            fields["$replica"] = evidence(item, settings: settings)
            return .object(fields)
        })
        return .object(object)
    }
}
