import Catalogue
import Engine
import Formats

/// Predicted answers aligned with real ones, request by request and item by item. An item
/// differs in what a user acts on: `code`, `action`, `duplicate_field`, `details.api_name`, what
/// an INVALID_DATA expected (`details.expected_data_type`, `details.maximum_length`) and the record it names (`details.duplicate_record.id`, or `details.id` of a success). The id of
/// a newly added record is left out: Zoho and the replica each make up their own.
public struct Comparison: Sendable {
    public struct Difference: Equatable, Sendable, CustomStringConvertible {
        /// 0-based request; nil when the numbers of requests differ.
        public let request: Int?
        public let source: String?
        /// 0-based item; nil for the request as a whole.
        public let item: Int?
        /// `requests`, `items`, `code`, `action`, `duplicate_field`, `details.api_name`,
        /// `details.expected_data_type`, `details.maximum_length`, `record_id`; inside
        /// `MULTIPLE_OR_MULTI_ERRORS`, `errors` (their number) and `errors[i].` any of those.
        public let field: String
        public let predicted: String?
        public let real: String?

        public var description: String {
            var place = request.map { "request \($0 + 1)" } ?? "the replay"
            if let source { place += " (\(source))" }
            if let item { place += ", item \(item) ($.data[\(item)])" }
            return "\(place): \(field): predicted \(predicted ?? "none"), real \(real ?? "none")"
        }

        var json: JSONValue {
            var object: JSONObject = [:]
            if let item { object["item"] = .number(String(item)) }
            object["field"] = .string(field)
            object["predicted"] = predicted.map(JSONValue.string) ?? .null
            object["real"] = real.map(JSONValue.string) ?? .null
            return .object(object)
        }
    }

    public let differences: [Difference]
    /// The requests that had a real answer to compare with (skipped requests never do).
    public let comparedRequests: Set<Int>
    /// The items of each compared request: the more of the predicted and the real answer's
    /// items, and one for a request refused whole.
    public let itemCounts: [Int: Int]
    private let lastRequest: Int?

    public var compared: Int { comparedRequests.count }

    /// Compares with the real answers the input recorded (log `response`, HAR content, or a
    /// status that refused the request); requests without one are not compared.
    public init(report: ReplayReport) {
        let pairs = report.requests.compactMap { request in
            request.input.answered ? (request, request.input.realResponse ?? .null) : nil
        }
        differences = pairs.flatMap { Self.compare($0.0, $0.1) }
        comparedRequests = Set(pairs.filter { $0.0.skipped == nil }.map(\.0.index))
        itemCounts = Self.itemCounts(pairs)
        lastRequest = report.requests.indices.last
    }

    /// Compares with real answers given in request order (`--compare FILE`): every request is
    /// compared, and a different number of answers is itself a difference.
    public init(report: ReplayReport, real: [JSONValue]) {
        var differences: [Difference] = []
        if real.count != report.requests.count {
            differences.append(Difference(request: nil, source: nil, item: nil, field: "requests",
                                          predicted: String(report.requests.count), real: String(real.count)))
        }
        let pairs = Array(zip(report.requests, real))
        differences += pairs.flatMap { Self.compare($0, $1) }
        self.differences = differences
        comparedRequests = Set(pairs.filter { $0.0.skipped == nil }.map(\.0.index))
        itemCounts = Self.itemCounts(pairs)
        lastRequest = report.requests.indices.last
    }

    static func itemCounts(_ pairs: [(ReplayedRequest, JSONValue)]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (predicted, real) in pairs where predicted.skipped == nil {
            counts[predicted.index] = predicted.refused != nil ? 1 : max(items(predicted.body).count, items(real).count)
        }
        return counts
    }

    /// Each compared item (request, item) and whether the prediction reproduced it: an item
    /// with a difference of its own, or in a request whose answer differs as a whole (another
    /// number of items, a refusal), is not reproduced.
    public var reproduced: [(request: Int, item: Int, matched: Bool)] {
        var wholeRequest = Set<Int>()
        var items = Set<[Int]>()
        for difference in differences {
            guard let request = difference.request else { continue }
            if let item = difference.item { items.insert([request, item]) } else { wholeRequest.insert(request) }
        }
        return itemCounts.keys.sorted().flatMap { request in
            (0..<(itemCounts[request] ?? 0)).map { item in
                (request, item, !wholeRequest.contains(request) && !items.contains([request, item]))
            }
        }
    }

    public var matches: Bool { differences.isEmpty }

    /// The differences to print with request `index`: its own, and on the last request those of
    /// the replay as a whole. Nil when there was nothing to compare it with.
    public func differences(for index: Int) -> [Difference]? {
        let found = differences.filter { $0.request == index || ($0.request == nil && index == lastRequest) }
        return found.isEmpty && !comparedRequests.contains(index) ? nil : found
    }

    /// A skipped request has no prediction, so there is nothing to compare.
    static func compare(_ predicted: ReplayedRequest, _ real: JSONValue) -> [Difference] {
        guard predicted.skipped == nil else { return [] }
        let source = predicted.input.source.description
        if let refused = predicted.refused {
            // Compared as a refusal: only one the replica predicts itself can differ.
            let mine = predicted.body["code"]?.stringValue
            guard refused.isPredictable, mine != refused.code else { return [] }
            return [Difference(request: predicted.index, source: source, item: nil, field: "code", predicted: mine, real: refused.code)]
        }
        return differences(predicted: predicted.body, real: real, request: predicted.index, source: source)
    }

    /// One answer against the real one, item by item: what `--compare` reports for a request,
    /// and what `serve --upstream --shadow` reports for each call as it passes.
    public static func differences(predicted: JSONValue, real: JSONValue, request: Int, source: String?) -> [Difference] {
        let mine = items(predicted)
        let theirs = items(real)
        var differences: [Difference] = []
        if mine.count != theirs.count {
            differences.append(Difference(request: request, source: source, item: nil, field: "items",
                                          predicted: String(mine.count), real: String(theirs.count)))
        }
        for (index, (left, right)) in zip(mine, theirs).enumerated() {
            for (field, predictedValue, realValue) in compareItem(left, right) {
                differences.append(Difference(request: request, source: source, item: index, field: field,
                                              predicted: predictedValue, real: realValue))
            }
        }
        return differences
    }

    /// The compared keys that differ; when both items are `MULTIPLE_OR_MULTI_ERRORS`, their
    /// wrapped errors too, element by element (`errors[1].details.api_name`).
    /// Only what the real answer states is compared: `action` and `duplicate_field` when it has
    /// the key, the record when it names one (every Zoho REST answer does; a Bulk Write result
    /// row names no holder).
    static func compareItem(_ left: JSONValue, _ right: JSONValue) -> [(String, String?, String?)] {
        var found = fields.compactMap { field, read -> (String, String?, String?)? in
            switch field {
            case "action", "duplicate_field": if right[field] == nil { return nil }
            case "record_id": if read(right) == nil && right["details"]?["duplicate_record"] == nil && right["details"]?["id"] == nil { return nil }
            default: break
            }
            return read(left) == read(right) ? nil : (field, read(left), read(right))
        }
        guard found.isEmpty, let mine = left["details"]?["errors"]?.arrayValue, let theirs = right["details"]?["errors"]?.arrayValue else {
            return found
        }
        if mine.count != theirs.count { found.append(("errors", String(mine.count), String(theirs.count))) }
        for (index, (a, b)) in zip(mine, theirs).enumerated() {
            found += compareItem(a, b).map { ("errors[\(index)].\($0.0)", $0.1, $0.2) }
        }
        return found
    }

    /// The items of an envelope; a request-level error (no `data`) is one item.
    public static func items(_ body: JSONValue) -> [JSONValue] {
        body["data"]?.arrayValue ?? [body]
    }

    static let fields: [(String, @Sendable (JSONValue) -> String?)] = [
        ("code", { $0["code"]?.stringValue }),
        ("action", { $0["action"]?.stringValue }),
        ("duplicate_field", { $0["duplicate_field"]?.stringValue }),
        ("details.api_name", { $0["details"]?["api_name"]?.stringValue }),
        ("details.expected_data_type", { $0["details"]?["expected_data_type"]?.stringValue }),
        ("details.maximum_length", { $0["details"]?["maximum_length"]?.stringValue }),
        ("record_id", recordID),
    ]

    @Sendable public static func recordID(_ item: JSONValue) -> String? {
        if let duplicate = item["details"]?["duplicate_record"]?["id"]?.stringValue { return duplicate }
        if item["message"]?.stringValue == "record added" { return nil }
        return item["details"]?["id"]?.stringValue
    }
}
