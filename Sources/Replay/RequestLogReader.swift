import Catalogue
import Engine
import Formats

/// An NDJSON request log: one `{"method","path","body"}` a line, optionally with the real
/// `"status"` and `"response"`. Blank lines are skipped; every error names `file:line`.
struct RequestLogReader {
    func read(_ file: InputBytes) throws -> [ReplayRequest] {
        var requests: [ReplayRequest] = []
        for line in file.lines {
            let source = ReplaySource(file: file.path, line: line.number)
            let entry = try JSONInput.parse(line.bytes, at: source.description, singleLine: true)
            requests.append(try request(entry, source: source))
        }
        return requests
    }

    private func request(_ entry: JSONValue, source: ReplaySource) throws -> ReplayRequest {
        func at(_ key: String) -> String { "\(source): \(JSONPath().key(key))" }
        guard case .object = entry else {
            throw ReplayError.unexpected(at: source.description, expected: "an object {\"method\",\"path\",\"body\"}", found: entry.typeName)
        }
        guard case .string(let method)? = entry["method"], !method.isEmpty else {
            throw ReplayError.unexpected(at: at("method"), expected: "an HTTP method such as \"POST\"", found: Self.found(entry["method"]))
        }
        guard case .string(let path)? = entry["path"], path.hasPrefix("/") || path.contains("://") else {
            throw ReplayError.unexpected(at: at("path"), expected: "a path such as \"/crm/v8/Contacts/upsert\"", found: Self.found(entry["path"]))
        }
        let body = try JSONInput.embedded(entry["body"], at: at("body"))
        var status: Int?
        if let value = entry["status"], !value.isNull {
            guard case .number(let text) = value, let code = Int(text) else {
                throw ReplayError.unexpected(at: at("status"), expected: "an HTTP status number", found: Self.found(value))
            }
            status = code
        }
        let response = try JSONInput.embedded(entry["response"], at: at("response")).flatMap { $0.isNull ? nil : $0 }
        if let response, response.objectValue == nil {
            throw ReplayError.unexpected(at: at("response"), expected: "the Zoho response object", found: response.typeName)
        }
        let time = try RequestTime.read(entry["time"], origin: .logTime, at: at("time"))
        return ReplayRequest(source: source, request: APIRequest(method: method, target: path, body: body),
                             realStatus: status, realResponse: response, time: time)
    }

    static func found(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        if case .string(let text) = value { return "\"\(text)\"" }
        return value.typeName
    }
}
