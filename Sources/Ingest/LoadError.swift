import Catalogue
import Storage

/// Where in a file a problem is: a CSV or NDJSON line, a JSON path, or both (a path inside
/// one NDJSON line).
public enum SourceLocation: Equatable, Sendable, CustomStringConvertible {
    case line(Int)
    case lineColumn(Int, Int)
    case jsonPath(String)
    case lineAndPath(Int, String)

    public var description: String {
        switch self {
        case .line(let line): return "line \(line)"
        case .lineColumn(let line, let column): return "line \(line), column \(column)"
        case .jsonPath(let path): return path
        case .lineAndPath(let line, let path): return "line \(line), \(path)"
        }
    }
}

/// A `load` flag that only some formats use, as a message names it.
public enum LoadFlag: String, Sendable {
    case campaign = "--campaign"
    case module = "--module"
}

/// Why a file was not loaded. Every message names the file, where in it the problem is, what
/// was expected, and (where a flag would help) which one to pass. A file that fails loads nothing.
public enum LoadError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case isDirectory(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    /// Bytes that are not UTF-8 (Zoho exports are UTF-8).
    case invalidUTF8(path: String, line: Int)
    /// CSV syntax: an unterminated quote, a stray quote, invalid UTF-8 inside a field…
    case malformedCSV(path: String, line: Int, problem: String)
    /// JSON syntax.
    case malformedJSON(path: String, at: SourceLocation, problem: String)
    /// A row whose field count differs from the header's.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// No header line with an id column among the first two lines.
    case missingIDColumn(path: String, expected: String)
    /// A required column of a membership CSV is missing.
    case missingColumn(path: String, line: Int, column: String)
    /// Two headers that name the same field.
    case duplicateColumn(path: String, line: Int, first: String, second: String, field: String)
    /// A header that no field name can be made from (no letters or digits).
    case unnamedColumn(path: String, line: Int, column: Int, header: String)
    /// An id that is not a Zoho record id.
    case invalidRecordID(path: String, at: SourceLocation, found: String)
    /// A CSV row whose id cell (in `column`, as the header names it) is empty.
    case missingRecordID(path: String, at: SourceLocation, column: String)
    /// A value of the wrong type or shape.
    case unexpected(path: String, at: SourceLocation, expected: String, found: String)
    /// The same item twice where the file must list it once.
    case duplicateItem(path: String, at: SourceLocation, firstAt: SourceLocation, item: String)
    case undetectableFormat(path: String, reason: String)
    case undetectableModule(path: String, format: InputFormat)
    case moduleNotAllowed(path: String, format: InputFormat, module: Module, allowed: [Module])
    /// The file name names a Zoho module the replica does not store (`Accounts_2026.csv`).
    case unsupportedModule(path: String, name: String)
    case campaignRequired(path: String)
    case invalidCampaignID(path: String, value: String)
    /// A flag the file's format has no use for: refused rather than ignored, since the user
    /// meant something by it that the load would not do.
    case flagNotUsable(path: String, flag: LoadFlag, format: InputFormat)
    /// A row whose own column (`Campaign Id`, `Member Module`) says otherwise than the flag.
    case flagConflict(path: String, line: Int, flag: LoadFlag, given: String, column: String, found: String)
    /// A related-list CSV whose members' module neither `--module` nor a column gives.
    case memberModuleRequired(path: String)
    /// The database refused a write; the file loaded nothing.
    case storage(path: String, reason: String)

    public var path: String {
        switch self {
        case .notFound(let path), .isDirectory(let path), .unreadable(let path, _), .empty(let path),
             .invalidUTF8(let path, _), .malformedCSV(let path, _, _), .malformedJSON(let path, _, _),
             .raggedRow(let path, _, _, _), .missingIDColumn(let path, _), .missingColumn(let path, _, _),
             .duplicateColumn(let path, _, _, _, _), .unnamedColumn(let path, _, _, _),
             .invalidRecordID(let path, _, _), .missingRecordID(let path, _, _), .unsupportedModule(let path, _), .unexpected(let path, _, _, _), .duplicateItem(let path, _, _, _),
             .undetectableFormat(let path, _), .undetectableModule(let path, _),
             .moduleNotAllowed(let path, _, _, _), .campaignRequired(let path),
             .invalidCampaignID(let path, _), .storage(let path, _), .flagNotUsable(let path, _, _),
             .flagConflict(let path, _, _, _, _, _), .memberModuleRequired(let path):
            return path
        }
    }

    /// True for a file of a module the replica does not store: a front end loading several
    /// files can skip it and load the rest, since nothing about the file is malformed.
    public var isUnsupportedModule: Bool {
        if case .unsupportedModule = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file"
        case .isDirectory(let path):
            return "\(path): is a directory; give the export files inside it (for example \(path)/*.csv)"
        case .unreadable(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .empty(let path):
            return "\(path): the file is empty; expected a Zoho export (CSV or JSON)"
        case .invalidUTF8(let path, let line):
            return "\(path): line \(line): invalid UTF-8; expected UTF-8 text as Zoho exports it (re-save the file as UTF-8)"
        case .malformedCSV(let path, let line, let problem):
            return "\(path): line \(line): malformed CSV: \(problem)"
        case .malformedJSON(let path, let at, let problem):
            return "\(path): \(at): malformed JSON: \(problem)"
        case .raggedRow(let path, let line, let expected, let found):
            return "\(path): line \(line): expected \(expected) fields as in the header, found \(found)"
        case .missingIDColumn(let path, let expected):
            return "\(path): no header line with an id column in the first two lines; expected \(expected)"
        case .missingColumn(let path, let line, let column):
            return "\(path): line \(line): the header has no `\(column)` column, which a campaign membership CSV needs"
        case .duplicateColumn(let path, let line, let first, let second, let field):
            return "\(path): line \(line): the headers `\(first)` and `\(second)` both name the field \(field); keep one of them"
        case .unnamedColumn(let path, let line, let column, let header):
            return "\(path): line \(line): column \(column) has the header `\(header)`, which names no field; give it a label with letters or digits"
        case .invalidRecordID(let path, let at, let found):
            let shown = found.isEmpty ? "nothing" : "`\(found)`"
            return "\(path): \(at): expected a Zoho record id (10 to 19 digits), found \(shown)"
        case .missingRecordID(let path, let at, let column):
            return "\(path): \(at): the row has no id (column `\(column)` is empty); every row needs its Zoho record id"
        case .unsupportedModule(let path, let name):
            let stored = Module.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(path): \(name) is not a module the replica stores (\(stored)); if the file holds one of those, pass --module"
        case .unexpected(let path, let at, let expected, let found):
            return "\(path): \(at): expected \(expected), found \(found)"
        case .duplicateItem(let path, let at, let firstAt, let item):
            return "\(path): \(at): \(item) is listed again (first at \(firstAt)); list it once"
        case .undetectableFormat(let path, let reason):
            return "\(path): cannot tell what kind of export this is (\(reason)); pass --format with one of: \(InputFormat.valueList)"
        case .undetectableModule(let path, let format):
            let candidates: [Module] = format == .relatedListJSON || format == .relatedListCSV ? [.contacts, .leads] : Module.allCases
            let modules = candidates.map(\.rawValue).joined(separator: ", ")
            return "\(path): cannot tell which module this \(format.rawValue) file holds (the file name names none); pass --module with one of: \(modules)"
        case .moduleNotAllowed(let path, let format, let module, let allowed):
            let names = allowed.map(\.rawValue).joined(separator: " or ")
            return "\(path): a \(format.rawValue) file is for \(names), not \(module.rawValue); pass --module \(allowed.first?.rawValue ?? "") or leave it out"
        case .campaignRequired(let path):
            return "\(path): a related-list page does not say which campaign it belongs to; pass --campaign CAMPAIGN_ID"
        case .invalidCampaignID(let path, let value):
            return "\(path): --campaign `\(value)` is not a Zoho record id (10 to 19 digits)"
        case .storage(let path, let reason):
            return "\(path): the database refused the load: \(reason)"
        case .flagNotUsable(let path, let flag, let format):
            let use = flag == .campaign ? " (it is for a campaign's related list, related-json or related-csv, or a members-csv file)" : ""
            return "\(path): \(flag.rawValue) cannot be used with a \(format.rawValue) file\(use); leave it out"
        case .flagConflict(let path, let line, let flag, let given, let column, let found):
            return "\(path): line \(line): `\(column)` is `\(found)` but \(flag.rawValue) says `\(given)`; "
                + "leave \(flag.rawValue) out (the file names its own) or load this file's rows separately"
        case .memberModuleRequired(let path):
            return "\(path): a campaign's related-list CSV does not say whether its members are Contacts or Leads; "
                + "pass --module Contacts or --module Leads (or give the file a `Member Module` column)"
        }
    }
}
