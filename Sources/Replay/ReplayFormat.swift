import Catalogue
import Formats
import Foundation

/// The kinds of input `replay` reads.
public enum ReplayFormat: String, CaseIterable, Sendable {
    /// `{"data":[…], "duplicate_check_fields":[…], "trigger":[…]}`, one call.
    case payload
    /// NDJSON, one `{"method","path","body"}` a line, optionally with `status` and `response`.
    case log
    /// A HAR 1.2 capture from a browser or proxy.
    case har
    /// A Bulk Write CSV: API-name headers, one record a row.
    case bulkCSV = "bulk-csv"

    public static var valueList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public init(named name: String) throws {
        guard let format = ReplayFormat(rawValue: name.lowercased()) else { throw ReplayError.unknownFormat(name) }
        self = format
    }

    /// The format an extension names: `.csv`, `.har`, `.ndjson` / `.jsonl`; nil for `.json` and others.
    static func fromExtension(_ path: String) -> ReplayFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv": return .bulkCSV
        case "har": return .har
        case "ndjson", "jsonl": return .log
        default: return nil
        }
    }

    /// The format from the shape of the content: a HAR has `log.entries`, a payload `data`, and
    /// a request log is lines that each hold a `method`. Text that is neither a JSON document
    /// nor such lines gets the document's syntax error, with its line and column.
    static func sniff(_ file: InputBytes) throws -> ReplayFormat {
        if let first = file.lines.first, let line = try? JSON.parse(Array(first.bytes)), line["method"] != nil, file.lines.count > 1 {
            return .log
        }
        let document = try JSONInput.parse(file.bytes[...], at: file.path)
        if document["log"]?["entries"] != nil { return .har }
        if document["data"] != nil { return .payload }
        if document["method"] != nil { return .log }
        throw ReplayError.undetectableFormat(path: file.path,
                                             reason: "a JSON \(document.typeName) with neither \"data\", \"log\" nor \"method\"")
    }
}

/// A whole input file in memory: request logs and payloads are parsed as JSON anyway, and the
/// CSV reader streams from the path itself.
struct InputBytes {
    let path: String
    let bytes: [UInt8]

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReplayError.unreadable(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw ReplayError.unreadable(path: path, reason: "is a directory; give the files inside it") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayError.unreadable(path: path, reason: "permission denied or read error")
        }
        if data.isEmpty { throw ReplayError.unreadable(path: path, reason: "the file is empty") }
        self.path = path
        bytes = Array(data)
    }

    /// Bytes that never were a file; `name` stands for the path in errors.
    init(name: String, bytes: [UInt8]) throws {
        if bytes.isEmpty { throw ReplayError.unreadable(path: name, reason: "the file is empty") }
        path = name
        self.bytes = bytes
    }

    /// The lines that hold something, with their 1-based numbers, without the LF or CRLF.
    var lines: [(number: Int, bytes: ArraySlice<UInt8>)] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let trimmed = line.last == 0x0D ? line.dropLast() : line
            return trimmed.allSatisfy(Self.isBlank) ? nil : (index + 1, trimmed)
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}

/// JSON parsing that reports where a syntax error is, in the words of the input it came from.
enum JSONInput {
    /// Parses `bytes`; `at` names where they sit (`log.ndjson:4`, `capture.har: $…text`).
    /// A one-line document reports only its column, since the line is already in `at`.
    static func parse(_ bytes: ArraySlice<UInt8>, at: String, singleLine: Bool = false) throws -> JSONValue {
        do {
            return try bytes.withUnsafeBufferPointer { try JSON.parse($0) }
        } catch let error as JSONSyntaxError {
            let position = singleLine ? "column \(error.column)" : "line \(error.line), column \(error.column)"
            throw ReplayError.malformedJSON(at: "\(at): \(position)", problem: error.message)
        }
    }

    /// A JSON value that may also arrive as a string holding JSON (logs often store bodies so).
    static func embedded(_ value: JSONValue?, at: String) throws -> JSONValue? {
        guard case .string(let text)? = value else { return value }
        if text.allSatisfy(\.isWhitespace) { return nil }
        return try parse(ArraySlice(text.utf8), at: at)
    }
}
