import Catalogue
import Engine
import Formats
import Foundation

/// `--log FILE`: one NDJSON line a request, in the request-log format `replay` reads
/// (`method`, `path` with its query, `body`, `status`, `response`), plus `time`. Only requests
/// the replica answered are logged: one refused before its body was read or parsed (401, 413,
/// malformed JSON) has no body a replay could run. Headers are never logged, so neither is the token.
final class RequestLog: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw RequestLogError.cannotCreate(path) }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw RequestLogError.cannotCreate(path) }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func append(request: APIRequest, target: String, status: Int, response: JSONValue?) throws {
        let line: JSONObject = [
            "method": .string(request.method),
            "path": .string(target),
            "body": request.body ?? .null,
            "status": .number(String(status)),
            "response": response ?? .null,
            "time": .string(Timestamps.format(Date())),
        ]
        let bytes = Data((JSON.write(.object(line)) + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        try handle.write(contentsOf: bytes)
    }
}

enum RequestLogError: Error, CustomStringConvertible {
    case cannotCreate(String)

    var description: String {
        switch self {
        case .cannotCreate(let path): return "--log \(path): cannot open the file for writing"
        }
    }
}
