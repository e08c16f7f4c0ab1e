import Catalogue
import Engine

/// A bare request body, `{"data":[…], "duplicate_check_fields":[…], "trigger":[…]}`: the file
/// is the body, and `--module`/`--operation` or `--endpoint` say which call it was sent to.
struct PayloadReader {
    let options: ReadOptions

    func read(_ file: InputBytes) throws -> ReplayRequest {
        let call = try self.call(for: file.path)
        let document = try JSONInput.parse(file.bytes[...], at: file.path)
        return ReplayRequest(source: ReplaySource(file: file.path),
                             request: APIRequest(method: call.method, target: call.target, body: document))
    }

    private func call(for path: String) throws -> (method: String, target: String) {
        if let endpoint = options.endpoint { return try Self.endpoint(endpoint) }
        guard let module = options.module else { throw ReplayError.callRequired(path: path) }
        return Self.call(module, options.operation)
    }

    /// The REST call of an operation (docs/zoho-facts.md#endpoints-and-limits), in the newest API version the replica
    /// speaks; the version makes no difference to the answer.
    static func call(_ module: Module, _ operation: WriteOperation) -> (method: String, target: String) {
        switch operation {
        case .upsert: return ("POST", "/crm/v8/\(module.rawValue)/upsert")
        case .insert: return ("POST", "/crm/v8/\(module.rawValue)")
        case .update: return ("PUT", "/crm/v8/\(module.rawValue)")
        }
    }

    /// `--endpoint "POST /crm/v2/Contacts/upsert"`: a method, a path, and a call the replica models.
    static func endpoint(_ text: String) throws -> (method: String, target: String) {
        let parts = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard parts.count == 2, parts[0].allSatisfy(\.isLetter) else {
            throw ReplayError.invalidEndpoint(text, reason: "expected a method and a path")
        }
        guard parts[1].hasPrefix("/") || parts[1].contains("://") else {
            throw ReplayError.invalidEndpoint(text, reason: "the path must start with /")
        }
        if case .unsupported(let reason) = Route.of(APIRequest(method: parts[0], target: parts[1], body: nil)) {
            throw ReplayError.invalidEndpoint(text, reason: reason)
        }
        return (parts[0].uppercased(), parts[1])
    }
}
