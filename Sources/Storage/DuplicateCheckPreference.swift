import Catalogue
import Persistence

/// The Leads duplicate-check preference (docs/zoho-facts.md#leads-duplicate-check-preference),
/// and the only owner of its two tables: the loader writes it, the evaluator reads it.
public struct DuplicateCheckPreference: Equatable, Sendable {
    public struct Mapping: Equatable, Sendable {
        public let currentField: String
        public let mappedModule: Module
        public let mappedField: String

        public init(currentField: String, mappedModule: Module, mappedField: String) {
            self.currentField = currentField
            self.mappedModule = mappedModule
            self.mappedField = mappedField
        }
    }

    public let type: String
    public let mappings: [Mapping]

    public init(type: String, mappings: [Mapping]) {
        self.type = type
        self.mappings = mappings
    }

    /// Only `mapped_module_records` checks another module.
    public var checksContacts: Bool { type == "mapped_module_records" && !mappings.isEmpty }

    public static func load(_ db: Database, module: Module) throws -> DuplicateCheckPreference? {
        guard let type = try db.scalarText("SELECT type FROM duplicate_check_preference WHERE module = ?", [.text(module.rawValue)]) else {
            return nil
        }
        let mappings = try db.statement("""
            SELECT current_field, mapped_module, mapped_field FROM duplicate_check_mappings WHERE module = ? ORDER BY position
            """).rows([.text(module.rawValue)]) { row in
            Mapping(currentField: row.text(0) ?? "", mappedModule: Module(name: row.text(1) ?? "") ?? .contacts, mappedField: row.text(2) ?? "")
        }
        return DuplicateCheckPreference(type: type, mappings: mappings)
    }

    /// The preference as loaded (`raw`, the whole object as JSON), to tell a re-load that changes nothing.
    public static func storedRaw(_ db: Database, module: Module) throws -> String? {
        try db.scalarText("SELECT raw FROM duplicate_check_preference WHERE module = ?", [.text(module.rawValue)])
    }

    /// Replaces the module's preference and its mappings.
    public func store(_ db: Database, module: Module, raw: String) throws {
        let key = SQLValue.text(module.rawValue)
        try db.run("""
            INSERT INTO duplicate_check_preference (module, type, raw) VALUES (?, ?, ?)
            ON CONFLICT (module) DO UPDATE SET type = excluded.type, raw = excluded.raw
            """, [key, .text(type), .text(raw)])
        try db.run("DELETE FROM duplicate_check_mappings WHERE module = ?", [key])
        for (position, mapping) in mappings.enumerated() {
            try db.run("""
                INSERT INTO duplicate_check_mappings (module, position, current_field, mapped_module, mapped_field)
                VALUES (?, ?, ?, ?, ?)
                """, [key, .integer(Int64(position)), .text(mapping.currentField), .text(mapping.mappedModule.rawValue),
                      .text(mapping.mappedField)])
        }
    }
}
