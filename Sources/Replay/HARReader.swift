import Catalogue
import Engine
import Formats
import Foundation

/// A HAR 1.2 capture (browser developer tools, a proxy): the entries whose URL path contains
/// `/crm/` are replayed in order, on any host and API version; their recorded responses are the
/// real answers. Every other entry is counted as ignored, never dropped silently.
struct HARReader {
    struct Capture {
        var requests: [ReplayRequest] = []
        var ignored: [IgnoredEntry] = []
    }

    func read(_ file: InputBytes) throws -> Capture {
        let document = try JSONInput.parse(file.bytes[...], at: file.path)
        let entriesPath = JSONPath().key("log").key("entries")
        guard case .array(let entries)? = document["log"]?["entries"] else {
            throw ReplayError.unexpected(at: "\(file.path): \(entriesPath)", expected: "the array of HAR entries",
                                        found: RequestLogReader.found(document["log"]?["entries"]))
        }
        var capture = Capture()
        for (index, entry) in entries.enumerated() {
            let source = ReplaySource(file: file.path, path: entriesPath.index(index))
            let request = try Self.request(of: entry, source: source)
            guard request.path.contains("/crm/") else {
                capture.ignored.append(IgnoredEntry(source: source, method: request.method, url: entry["request"]?["url"]?.stringValue ?? ""))
                continue
            }
            let response = entry["response"]
            let time = try RequestTime.read(entry["startedDateTime"], origin: .harStartedDateTime,
                                            at: "\(file.path): \(entriesPath.index(index).key("startedDateTime"))")
            capture.requests.append(ReplayRequest(source: source, request: request, realStatus: Self.status(of: response),
                                                  realResponse: try Self.content(of: response, source: source), time: time))
        }
        return capture
    }

    private static func request(of entry: JSONValue, source: ReplaySource) throws -> APIRequest {
        let at = { (path: JSONPath) in "\(source.file): \(path)" }
        let requestPath = (source.path ?? JSONPath()).key("request")
        guard case .string(let method)? = entry["request"]?["method"] else {
            throw ReplayError.unexpected(at: at(requestPath.key("method")), expected: "an HTTP method",
                                        found: RequestLogReader.found(entry["request"]?["method"]))
        }
        guard case .string(let url)? = entry["request"]?["url"] else {
            throw ReplayError.unexpected(at: at(requestPath.key("url")), expected: "a URL", found: RequestLogReader.found(entry["request"]?["url"]))
        }
        let textPath = requestPath.key("postData").key("text")
        let body = try JSONInput.embedded(entry["request"]?["postData"]?["text"], at: at(textPath))
        return APIRequest(method: method, target: url, body: body)
    }

    /// HAR writes 0 (or leaves it out) when no response arrived.
    private static func status(of response: JSONValue?) -> Int? {
        guard case .number(let text)? = response?["status"], let status = Int(text), status > 0 else { return nil }
        return status
    }

    /// `response.content.text`, base64-decoded when `encoding` says so, parsed as the real answer.
    /// An empty text (a 204, a capture without bodies) is no answer.
    private static func content(of response: JSONValue?, source: ReplaySource) throws -> JSONValue? {
        let contentPath = (source.path ?? JSONPath()).key("response").key("content")
        guard case .string(let text)? = response?["content"]?["text"], !text.isEmpty else { return nil }
        let at = "\(source.file): \(contentPath.key("text"))"
        switch response?["content"]?["encoding"]?.stringValue {
        case nil, "":
            return try JSONInput.embedded(.string(text), at: at)
        case "base64":
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw ReplayError.unexpected(at: at, expected: "base64 text, as content.encoding says", found: "other characters")
            }
            return try JSONInput.parse(ArraySlice(data), at: at + " (base64-decoded)")
        case let other?:
            throw ReplayError.unsupportedEncoding(at: "\(source.file): \(contentPath.key("encoding"))", encoding: other)
        }
    }
}
