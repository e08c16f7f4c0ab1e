import Catalogue
import Persistence
import Storage

/// What makes a replica's answers unreliable before any question is asked: no records at all (a
/// typo in `--db`, a load that never ran), or a module whose field metadata was never loaded, so
/// that no field is known to be unique and every unique-field clash goes unseen. Front ends that
/// answer questions (`why`, `replay`, a server) print these on stderr; the answers stay as they are.
public enum ReplicaWarning: Equatable, Sendable, CustomStringConvertible {
    case empty(path: String)
    case noFieldMetadata(Module)

    public var description: String {
        switch self {
        case .empty(let path):
            return "warning: the replica \(path) holds no records, so every value looks new; "
                + "load your exports first (crm-replica load FILE --db \(path))"
        case .noFieldMetadata(let module):
            return "warning: no field metadata is loaded for \(module.rawValue), so the replica does not know which "
                + "fields are unique (only \(module.systemDuplicateField) is checked); load the answer of "
                + "GET /crm/v8/settings/fields?module=\(module.rawValue) (for example \(module.rawValue)_fields.json)"
        }
    }

    /// The warnings for questions about `modules`; `path` names the replica to the user (a dry run
    /// may read an in-memory copy of it).
    public static func check(_ db: Database, modules: [Module], path: String? = nil) throws -> [ReplicaWarning] {
        guard try ReplicaCounts.holdsAnyRecord(db) else { return [.empty(path: path ?? db.path)] }
        var warnings: [ReplicaWarning] = []
        for module in Set(modules).sorted(by: { $0.rawValue < $1.rawValue }) where try !FieldCatalogue.hasMetadata(db, module: module) {
            warnings.append(.noFieldMetadata(module))
        }
        return warnings
    }
}
