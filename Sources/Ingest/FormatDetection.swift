import Catalogue
import Formats
import Foundation
import Storage

/// What detection learnt about a file before it is loaded.
struct Detection {
    let format: InputFormat
    /// The module written; for membership CSVs and related-list CSVs, `--module` (nil when
    /// each row names its own).
    let module: Module?
    /// CSV: records before the header (1 when a title line sits above it).
    var headerIndex = 0
    /// CSV: the field separator the header line uses.
    var delimiter = CSVDelimiter.comma
    /// CSV: the text encoding, from the byte order mark.
    var encoding = CSVTextEncoding.utf8
    /// JSON: the parsed document, so that it is parsed once.
    var document: JSONValue?
    /// An API page read without the parser (`ScannedPage`): its records, and no `document`.
    var records: JSONRecordBatch?
}

/// Works out a file's format and module from, in order of precedence: `--format`/`--module`,
/// the extension, the content (JSON shape, CSV headers) and the file name.
enum FormatDetection {
    static func detect(_ file: InputFile, options: LoadOptions) throws -> Detection {
        let detection = try detectFormat(file, options: options)
        try checkCampaignFlag(detection.format, file: file, options: options)
        return detection
    }

    /// `--campaign` names the campaign of a related list, and a members CSV checks its rows
    /// against it; any other format would drop it without a word, so it is refused.
    private static func checkCampaignFlag(_ format: InputFormat, file: InputFile, options: LoadOptions) throws {
        switch format {
        case .relatedListJSON, .relatedListCSV, .membersCSV:
            return
        case .uiExportCSV, .bulkReadCSV, .apiJSON, .ndjson, .deletedJSON, .fieldsJSON, .duplicateCheckPreference, .modulesJSON:
            if options.campaignID != nil { throw LoadError.flagNotUsable(path: file.path, flag: .campaign, format: format) }
        }
    }

    private static func detectFormat(_ file: InputFile, options: LoadOptions) throws -> Detection {
        switch try container(of: file, options: options) {
        case .csv:
            let head = try CSVHead(file: file)
            let (format, headerIndex) = try csvFormat(head, file: file, forced: options.format, campaign: options.campaignID)
            let module = try module(for: format, file: file, options: options, headers: head.records[headerIndex].fields)
            return Detection(format: format, module: module, headerIndex: headerIndex, delimiter: head.delimiter,
                             encoding: head.encoding)
        case .ndjson:
            let format = options.format ?? .ndjson
            return Detection(format: format, module: try module(for: format, file: file, options: options))
        case .json:
            if let page = try scannedPage(file, options: options) { return page }
            let document = try JSONDocument.parse(file)
            let format = try options.format ?? jsonFormat(document, file: file, options: options)
            return Detection(format: format, module: try module(for: format, file: file, options: options), document: document)
        }
    }

    /// CSV, JSON or NDJSON: from `--format`, the extension, or the first byte that is not white space.
    private static func container(of file: InputFile, options: LoadOptions) throws -> InputFormat.Container {
        if let format = options.format { return format.container }
        switch file.fileExtension {
        case "csv": return .csv
        case "json": return .json
        case "ndjson", "jsonl": return .ndjson
        default:
            let first = try file.prefix(4096).drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.first
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .csv
        }
    }

    // MARK: CSV

    /// The CSV kind a header line announces, or nil when it has no id column.
    static func csvFormat(ofHeader fields: [String]) -> InputFormat? {
        let keys = Set(fields.map(FieldCatalogue.headerKey))
        if keys.contains("campaign_id") && keys.contains("member_id") { return .membersCSV }
        if keys.contains("record_id") { return .uiExportCSV }
        if keys.contains("id") { return .bulkReadCSV }
        return nil
    }

    /// The format, and which of the first two records is the header: a UI export may carry a
    /// title line above it (the first line has no id column while the second does).
    /// With `--campaign`, a CSV of records (`Record Id` or `id`) is that campaign's related list.
    private static func csvFormat(_ head: CSVHead, file: InputFile, forced: InputFormat?,
                                  campaign: String?) throws -> (InputFormat, Int) {
        for (index, record) in head.records.enumerated() {
            guard let found = csvFormat(ofHeader: record.fields) else { continue }
            if let forced { return (forced, index) }
            return (campaign != nil && found != .membersCSV ? .relatedListCSV : found, index)
        }
        let expected = forced == .membersCSV
            ? "the columns `Campaign Id` and `Member Id`"
            : forced == .relatedListCSV ? "`Record Id` or `id` (the members' ids)"
            : "`Record Id` (UI export), `id` (Bulk Read) or `Campaign Id` and `Member Id` (campaign members)"
        throw LoadError.missingIDColumn(path: file.path, expected: expected)
    }

    // MARK: JSON

    /// The kind of a JSON document, from its top-level keys.
    private static func jsonFormat(_ document: JSONValue, file: InputFile, options: LoadOptions) throws -> InputFormat {
        guard case .object(let root) = document else {
            throw LoadError.unexpected(path: file.path, at: .jsonPath("$"),
                                       expected: "an object with `data`, `fields`, `modules` or `duplicate_check_preference`",
                                       found: document.typeName)
        }
        return try jsonFormat(JSONShape(root), file: file, options: options)
    }

    private static func jsonFormat(_ shape: JSONShape, file: InputFile, options: LoadOptions) throws -> InputFormat {
        if shape.keys.contains("duplicate_check_preference") { return .duplicateCheckPreference }
        if shape.keys.contains("fields") { return .fieldsJSON }
        if shape.keys.contains("modules") { return .modulesJSON }
        guard let data = shape.data else {
            throw LoadError.undetectableFormat(path: file.path, reason: "a JSON object without `data`, `fields`, `modules` or `duplicate_check_preference`")
        }
        switch data {
        case .other(let typeName):
            throw LoadError.unexpected(path: file.path, at: .jsonPath("$.data"), expected: "an array", found: typeName)
        case .array(let isEmpty, let firstHasDeletedTime):
            // The deleted-records list is the only `data` page whose items carry `deleted_time`.
            if firstHasDeletedTime { return .deletedJSON }
            if isEmpty && file.nameHasWord("deleted") { return .deletedJSON }
            return options.campaignID == nil ? .apiJSON : .relatedListJSON
        }
    }

    /// An API page read by `ScannedPage`, without the parser: the bulk of a load of pages (Zoho
    /// pages a million contacts as 5,000 files). Nil when the file is not one, or holds anything
    /// the scan declines: it then takes the parser's path, which reads it again (small files) and
    /// gives the format, or the error, as before.
    private static func scannedPage(_ file: InputFile, options: LoadOptions) throws -> Detection? {
        guard options.format == nil || options.format == .apiJSON, options.campaignID == nil,
              let module = try? module(for: .apiJSON, file: file, options: options) else { return nil }
        let data = try file.contents()
        guard let page = data.withUnsafeBytes({ ScannedPage($0.bindMemory(to: UInt8.self), module: module) }),
              try options.format ?? jsonFormat(page.shape, file: file, options: options) == .apiJSON else { return nil }
        return Detection(format: .apiJSON, module: module, records: page.records)
    }

    // MARK: Module

    /// `--module`, else the first word of the file name that names a module, else (UI export) the
    /// owner column (`Contact Owner` belongs to Contacts); else a name such as `Deals_001.json`
    /// is refused as a module the replica does not store.
    private static func module(for format: InputFormat, file: InputFile, options: LoadOptions,
                               headers: [String] = []) throws -> Module? {
        let people: [Module] = [.contacts, .leads]
        switch format {
        case .membersCSV:
            // Each row names its member's module; `--module` stands in for a missing column.
            if let module = options.module, !people.contains(module) {
                throw LoadError.moduleNotAllowed(path: file.path, format: format, module: module, allowed: people)
            }
            return options.module
        case .relatedListCSV:
            // Only `--module` or a `Member Module` column: a list of member ids holds nothing else
            // that tells Contacts from Leads, and a file name is too weak a clue to file
            // memberships under.
            if let module = options.module {
                guard people.contains(module) else {
                    throw LoadError.moduleNotAllowed(path: file.path, format: format, module: module, allowed: people)
                }
                return module
            }
            guard headers.contains(where: { MembersCSVLoader.Column(header: $0, format: format) == .memberModule }) else {
                throw LoadError.memberModuleRequired(path: file.path)
            }
            return nil
        case .duplicateCheckPreference:
            // Zoho offers this preference for Leads only (docs/zoho-facts.md#leads-duplicate-check-preference).
            if let module = options.module, module != .leads {
                throw LoadError.moduleNotAllowed(path: file.path, format: format, module: module, allowed: [.leads])
            }
            return .leads
        case .modulesJSON:
            // The listing names every module itself; a `--module` would mean something it cannot do.
            if options.module != nil { throw LoadError.flagNotUsable(path: file.path, flag: .module, format: format) }
            return nil
        case .relatedListJSON:
            guard let module = options.module ?? file.moduleFromName(among: people) else {
                throw LoadError.undetectableModule(path: file.path, format: format)
            }
            guard people.contains(module) else {
                throw LoadError.moduleNotAllowed(path: file.path, format: format, module: module, allowed: people)
            }
            return module
        case .uiExportCSV, .bulkReadCSV, .apiJSON, .ndjson, .deletedJSON, .fieldsJSON:
            if let module = options.module ?? file.moduleFromName() { return module }
            let keys = Set(headers.map(FieldCatalogue.headerKey))
            if let owner = Module.allCases.first(where: { keys.contains(FieldCatalogue.headerKey($0.ownerLabel)) }) { return owner }
            // `Accounts_2026.csv` names a module, just not one the replica stores: say so rather
            // than claim the name names none. (After the owner column, so that a Contacts export
            // saved as `calls_list.csv` still loads as before.)
            if let other = file.unstoredModuleFromName() { throw LoadError.unsupportedModule(path: file.path, name: other) }
            throw LoadError.undetectableModule(path: file.path, format: format)
        }
    }
}

/// The first two records of a CSV file: enough to find the header line, the format and the
/// separator.
struct CSVHead {
    struct Line {
        let fields: [String]
        let line: Int
    }

    let records: [Line]
    let delimiter: CSVDelimiter
    let encoding: CSVTextEncoding

    /// Reads the head with each separator an export may use and keeps the one whose split holds
    /// a header with an id column (`,` first). When none does, the comma reading stands, so the
    /// file gets the same error as before separators were detected.
    init(file: InputFile) throws {
        let found = try CSVDelimiter.detect(among: CSVDelimiter.exportCandidates, read: { try Self.read(file, delimiter: $0) },
                                            score: { head in head.records.contains { FormatDetection.csvFormat(ofHeader: $0.fields) != nil } ? 1 : 0 })
        (records, delimiter, encoding) = (found.head.records, found.delimiter, found.head.encoding)
    }

    private static func read(_ file: InputFile, delimiter: CSVDelimiter) throws -> (records: [Line], encoding: CSVTextEncoding) {
        let reader = try CSVFile.open(file.path, delimiter: delimiter)
        var records: [Line] = []
        try CSVFile.read(reader, path: file.path) { view, line in
            records.append(Line(fields: view.strings, line: line))
            return records.count < 2
        }
        guard !records.isEmpty else {
            throw LoadError.missingIDColumn(path: file.path, expected: "a header line; the file holds only blank lines")
        }
        return (records, reader.encoding)
    }
}

/// `CSVReader` with its errors turned into `LoadError`s that name the file.
enum CSVFile {
    static func open(_ path: String, delimiter: CSVDelimiter = .comma) throws -> CSVReader {
        do {
            return try CSVReader(path: path, delimiter: delimiter.rawValue)
        } catch let error as CSVError {
            throw LoadError.unreadable(path: path, reason: error.message)
        }
    }

    static func read(_ reader: CSVReader, path: String,
                     _ body: (_ fields: CSVRecordView, _ line: Int) throws -> Bool) throws {
        do {
            try reader.forEachRecord(body)
        } catch let error as CSVError {
            throw LoadError.malformedCSV(path: path, line: error.line, problem: error.message)
        }
    }
}

/// Whole JSON documents, parsed in memory. A `GET` page holds at most 200 records (a few hundred
/// KB), and a field-metadata response a few hundred fields, so reading the file whole is fine;
/// large record sets belong in NDJSON (read line by line) or CSV (streamed).
enum JSONDocument {
    static func parse(_ file: InputFile) throws -> JSONValue {
        var data = try file.contents()
        // A JSON document is read whole anyway, so UTF-16 (a BOM says so) is converted in memory.
        if let encoding = try file.utf16Encoding() {
            guard let text = String(data: data.dropFirst(2), encoding: encoding == .utf16LE ? .utf16LittleEndian : .utf16BigEndian) else {
                throw LoadError.malformedJSON(path: file.path, at: .line(1), problem: "invalid \(encoding.rawValue) text")
            }
            data = Data(text.utf8)
        }
        do {
            return try data.withUnsafeBytes { raw in try JSON.parse(raw.bindMemory(to: UInt8.self)) }
        } catch let error as JSONSyntaxError {
            throw loadError(error, path: file.path)
        }
    }

    /// A syntax error as a `LoadError`: invalid UTF-8 has its own message; `line` overrides the
    /// error's own line (an NDJSON line is parsed on its own).
    static func loadError(_ error: JSONSyntaxError, path: String, line: Int? = nil) -> LoadError {
        if error.message.hasPrefix("invalid UTF-8") {
            return .invalidUTF8(path: path, line: line ?? error.line)
        }
        let location: SourceLocation = line.map { .lineColumn($0, error.column) } ?? .lineColumn(error.line, error.column)
        return .malformedJSON(path: path, at: location, problem: error.message)
    }
}
