import Catalogue
import Formats
import Storage

/// Typed access to a parsed JSON document whose errors name the file and the JSON path
/// (`$.data[3].id`), and for NDJSON the line too.
struct JSONReader {
    let path: String
    /// The NDJSON line the document came from, if any.
    var line: Int?

    func location(_ at: JSONPath) -> SourceLocation {
        line.map { .lineAndPath($0, at.description) } ?? .jsonPath(at.description)
    }

    func mismatch(_ value: JSONValue?, at: JSONPath, expected: String) -> LoadError {
        .unexpected(path: path, at: location(at), expected: expected, found: value.map(Self.describe) ?? "nothing")
    }

    /// "a string", or the value itself when it is short enough to show.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null, .bool, .number: return "\(value.typeName) \(JSON.write(value))"
        case .string(let text): return text.count <= 40 ? "the string \(JSON.write(value))" : "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    func object(_ value: JSONValue?, at: JSONPath) throws -> JSONObject {
        guard case .object(let object)? = value else { throw mismatch(value, at: at, expected: "an object") }
        return object
    }

    func array(_ value: JSONValue?, at: JSONPath) throws -> [JSONValue] {
        guard case .array(let array)? = value else { throw mismatch(value, at: at, expected: "an array") }
        return array
    }

    func string(_ value: JSONValue?, at: JSONPath) throws -> String {
        guard case .string(let text)? = value else { throw mismatch(value, at: at, expected: "a string") }
        return text
    }

    /// A string, or nil when absent or null.
    func optionalString(_ value: JSONValue?, at: JSONPath) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw mismatch(value, at: at, expected: "a string or null")
        }
    }

    /// A boolean, or nil when absent or null.
    func optionalBool(_ value: JSONValue?, at: JSONPath) throws -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw mismatch(value, at: at, expected: "true or false")
        }
    }

    /// A whole number from 1 (as Zoho writes a field's `length`), or nil when absent or null.
    func optionalCount(_ value: JSONValue?, at: JSONPath) throws -> Int? {
        switch value {
        case nil, .null?: return nil
        case .number(let literal)? where Int(literal).map({ $0 >= 1 }) == true: return Int(literal)
        default: throw mismatch(value, at: at, expected: "a whole number from 1, or null")
        }
    }

    /// A record id, given as a string or a JSON number and read exactly (never through a Double).
    func recordID(_ value: JSONValue?, at: JSONPath) throws -> String {
        guard let id = RecordID.from(value) else {
            throw LoadError.invalidRecordID(path: path, at: location(at), found: value.map(JSON.write) ?? "")
        }
        return id
    }

    /// An API name used as a catalogue key (`Email`, `Loyalty_Tier`).
    func apiName(_ value: JSONValue?, at: JSONPath) throws -> String {
        guard case .string(let name)? = value, FieldCatalogue.isValidAPIName(name) else {
            throw mismatch(value, at: at, expected: "a field API name (letters, digits and underscores)")
        }
        return name
    }

    /// The objects of the array at `path`, each with its `api_name`, which the array must list
    /// once (the fields of a field-metadata response, the modules of a module listing); `what`
    /// names an item in the error ("the field").
    func namedObjects(_ items: [JSONValue], at path: JSONPath, what: String) throws -> [(object: JSONObject, apiName: String, path: JSONPath)] {
        var named: [(object: JSONObject, apiName: String, path: JSONPath)] = []
        var firstIndex: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = path.index(index)
            let object = try self.object(item, at: itemPath)
            let apiName = try self.apiName(object["api_name"], at: itemPath.key("api_name"))
            if let first = firstIndex[apiName] {
                throw LoadError.duplicateItem(path: self.path, at: location(itemPath.key("api_name")),
                                              firstAt: location(path.index(first).key("api_name")), item: "\(what) \(apiName)")
            }
            firstIndex[apiName] = index
            named.append((object, apiName, itemPath))
        }
        return named
    }

    /// The `data` array of a `{"data":[…]}` page, and its path.
    func dataArray(_ document: JSONValue) throws -> ([JSONValue], JSONPath) {
        let root = JSONPath()
        let object = try self.object(document, at: root)
        return (try array(object["data"], at: root.key("data")), root.key("data"))
    }
}
