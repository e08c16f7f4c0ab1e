import Catalogue
import Formats
import Foundation

/// A file about to be loaded, checked up front so that a directory, a missing, unreadable or
/// empty file gets its own clear message instead of a parser error.
struct InputFile {
    let path: String
    let size: Int

    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadError.notFound(path: path)
        }
        if isDirectory.boolValue { throw LoadError.isDirectory(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw LoadError.unreadable(path: path, reason: "permission denied")
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw LoadError.unreadable(path: path, reason: error.localizedDescription)
        }
        size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { throw LoadError.empty(path: path) }
    }

    /// The lower-cased extension: `csv`, `json`, `ndjson`, `jsonl`…
    var fileExtension: String { URL(fileURLWithPath: path).pathExtension.lowercased() }

    /// The words of the file name, extension left out: `Contacts_2025_10_16.csv` → `Contacts`;
    /// `Leads_deleted.json` → `Leads`, `deleted`. Digits and punctuation separate words.
    var nameWords: [String] {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return name.split { !$0.isLetter }.map(String.init)
    }

    /// The first word of the file name that names a module, among `candidates`.
    func moduleFromName(among candidates: [Module] = Module.allCases) -> Module? {
        for word in nameWords {
            if let module = Module(name: word), candidates.contains(module) { return module }
        }
        return nil
    }

    /// The first word of the file name that is a Zoho module the replica does not store
    /// (`Accounts_2026.csv` → `Accounts`), as Zoho spells it.
    func unstoredModuleFromName() -> String? {
        for word in nameWords {
            if let module = Self.unstoredModules.first(where: { $0.lowercased() == word.lowercased() || $0.lowercased() == word.lowercased() + "s" }) {
                return module
            }
        }
        return nil
    }

    /// Zoho CRM's standard modules other than Contacts, Leads and Campaigns: what an export's
    /// file name is named after (single words; `Sales_Orders_001.csv` splits into words).
    static let unstoredModules = ["Accounts", "Deals", "Potentials", "Tasks", "Events", "Calls", "Meetings", "Products",
                                  "Quotes", "Invoices", "Vendors", "Cases", "Solutions", "Notes", "Activities",
                                  "Forecasts", "Users", "Appointments", "Services", "Projects", "Visits"]

    /// True when a word of the file name is `word` (case ignored).
    func nameHasWord(_ word: String) -> Bool {
        nameWords.contains { $0.lowercased() == word }
    }

    /// The whole file; JSON documents are parsed in memory (see `JSONLoaders`).
    func contents() throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LoadError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// UTF-16 when the file starts with a UTF-16 byte order mark (`FF FE` or `FE FF`), else nil.
    func utf16Encoding() throws -> CSVTextEncoding? {
        switch Array(try prefix(2)) {
        case [0xFF, 0xFE]: return .utf16LE
        case [0xFE, 0xFF]: return .utf16BE
        default: return nil
        }
    }

    /// The first bytes of the file, for sniffing a format when the extension says nothing.
    func prefix(_ count: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LoadError.unreadable(path: path, reason: "cannot open")
        }
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            throw LoadError.unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
