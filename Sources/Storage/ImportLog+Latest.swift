import Catalogue
import Foundation
import Persistence

extension ImportLog {
    /// When the replica last took in a file (a load, or a committed replay): the server's
    /// `settings/modules` answers 304 to an `If-Modified-Since` later than this.
    public static func latest(_ db: Database) throws -> Date? {
        try db.scalarText("SELECT max(at) FROM import_log").flatMap(Timestamps.parse)
    }
}
