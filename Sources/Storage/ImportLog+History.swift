import Catalogue
import Persistence

extension ImportLog {
    /// The files the replica took in, newest first: the web page's "when and from which files it
    /// was loaded".
    public static func history(_ db: Database, limit: Int = 50) throws -> [(kind: String, source: String, module: String?, read: Int, at: String)] {
        try db.statement("SELECT kind, source, module, read, at FROM import_log ORDER BY seq DESC LIMIT ?").rows([.integer(Int64(limit))]) {
            ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2), $0.int(3), $0.text(4) ?? "")
        }
    }
}
