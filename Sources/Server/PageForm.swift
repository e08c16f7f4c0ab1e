import Engine
import Foundation

/// The fields of a page's form: a query string, an `application/x-www-form-urlencoded` body or a
/// `multipart/form-data` body (the replay page's upload). Uploaded bytes stay in memory: a page
/// never writes what a user sends to disk.
struct PageForm {
    private(set) var fields: [String: [UInt8]] = [:]
    /// The file name an upload came with, by field.
    private(set) var fileNames: [String: String] = [:]

    subscript(_ name: String) -> String? { fields[name].map { String(decoding: $0, as: UTF8.self) } }

    /// A field with something in it (a browser sends empty text boxes and empty file inputs too).
    func filled(_ name: String) -> String? { self[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }

    /// `a=1&b=2`, decoded as the API decodes its query strings (`+` is a space in a form).
    init(query: String) {
        let request = APIRequest(method: "GET", target: "/?" + query.replacingOccurrences(of: "+", with: "%20"), body: nil)
        for pair in query.split(separator: "&") {
            let name = String(pair.split(separator: "=", maxSplits: 1).first ?? "")
            let key = name.removingPercentEncoding ?? name
            if let value = request.queryValue(key) { fields[key] = Array(value.utf8) }
        }
    }

    /// A body as its `Content-Type` says; nil when a multipart body is malformed.
    init?(body: [UInt8], contentType: String?) {
        let type = contentType ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data") else {
            self.init(query: String(decoding: body, as: UTF8.self))
            return
        }
        guard let boundary = type.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")),
              !boundary.isEmpty else { return nil }
        self.init(query: "")
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // Prefixing CRLF lets the first boundary match like the others.
        let parts = Self.split(Array("\r\n".utf8) + body, on: delimiter)
        for part in parts.dropFirst() {
            guard !part.starts(with: Array("--".utf8)) else { break }
            let rest = part.drop { $0 == 0x0D || $0 == 0x0A }
            guard let end = Self.firstRange(of: Array("\r\n\r\n".utf8), in: Array(rest)) else { return nil }
            let head = String(decoding: rest.prefix(end.lowerBound), as: UTF8.self)
            guard let name = Self.parameter("name", in: head) else { continue }
            fields[name] = Array(Array(rest)[end.upperBound...])
            if let file = Self.parameter("filename", in: head) { fileNames[name] = file }
        }
    }

    private static func parameter(_ name: String, in head: String) -> String? {
        guard let range = head.range(of: " \(name)=\"") ?? head.range(of: ";\(name)=\"") else { return nil }
        let value = head[range.upperBound...]
        return value.firstIndex(of: "\"").map { String(value[..<$0]) }
    }

    private static func split(_ bytes: [UInt8], on delimiter: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + delimiter.count <= bytes.count {
            if bytes[index] == delimiter[0], bytes[index..<index + delimiter.count].elementsEqual(delimiter) {
                parts.append(bytes[start..<index])
                index += delimiter.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(bytes[start...])
        return parts
    }

    private static func firstRange(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
        guard bytes.count >= needle.count else { return nil }
        for index in 0...(bytes.count - needle.count) where bytes[index..<index + needle.count].elementsEqual(needle) {
            return index..<index + needle.count
        }
        return nil
    }
}
