import Catalogue
import Formats
import Foundation
import Persistence
import Storage
import Testing

/// The byte-level fast paths added for speed give the answers of the general code.
@Suite("Fast paths")
struct FastPathTests {
    @Test func asciiEmailCheckAgreesWithTheRule() {
        let valid = ["a@b.c", "ann.lee@example.com", "A+tag@Sub.Example.co.uk", "x@y.z.w", "fay\u{200B}@example.com",
                     "ann@example.com\u{00A0}", "é@example.com"]
        let invalid = ["", "@", "a@", "@b.c", "a@b", "a@.b", "a@b.", "a@@b.c", "a@b@c.d", "a b@c.d", "a@b.c ", " a@b.c",
                       "a@b.c\t", "a@b.c\r\n", "a@b\u{7F}.c", "nodomain", "a.b.c", "é@b", "é@.b"]
        for value in valid { #expect(Matching.isValidEmail(value), "\(value.debugDescription)") }
        for value in invalid { #expect(!Matching.isValidEmail(value), "\(value.debugDescription)") }
    }

    /// `replace` assigns only the key columns that changed; the row must be what writing the
    /// record afresh gives, and the side index must follow.
    @Test func replaceLeavesTheRowAFreshWriteLeaves() throws {
        let tier = FieldDefinition(module: .contacts, apiName: "Tier", label: "Tier", dataType: "text", isUnique: true,
                                   isCustom: true, source: .metadata)
        let replaced = try LoaderFixture()
        try FieldCatalogue.setUnique(replaced.db, module: .contacts, field: tier, unique: true)
        func record(_ email: String, _ phone: String?, _ name: String, _ tier: String) -> Record {
            var fields: JSONObject = ["id": .string("5725767000000100001"), "Email": .string(email), "Last_Name": .string(name),
                                      "Owner": .object(["name": .string("Pat"), "id": .string("42")]), "Tier": .string(tier)]
            if let phone { fields["Phone"] = .string(phone) }
            return Record(fields: fields)
        }
        let versions = [record("Ann@Example.com", "+1 555", "Lee", "Gold"),
                        record("ann@example.com", "+1 555", "Lee", "Gold"),      // only the case of Email
                        record("ann@example.com", nil, "Lee-Ray", "Gold"),      // Phone gone
                        record("ann@example.com\u{00A0}", "+1 556", "Lee-Ray", ""),
                        record("ann@example.com\u{00A0}", "+1 556", "Lee-Ray", "")]  // nothing
        let store = replaced.store
        try store.put(versions[0], module: .contacts)
        for version in versions.dropFirst() {
            try store.replace(version, module: .contacts)
            let reference = try LoaderFixture()
            try FieldCatalogue.setUnique(reference.db, module: .contacts, field: tier, unique: true)
            try reference.store.put(version, module: .contacts)
            let rows = { (db: Database) in try db.statement("SELECT * FROM contacts").rows { row in (0..<row.columnCount).map { row.value($0) } } }
            let sides = { (db: Database) in try db.statement("SELECT * FROM field_values ORDER BY field").rows { row in (0..<row.columnCount).map { row.value($0) } } }
            #expect(try rows(replaced.db) == rows(reference.db))
            #expect(try sides(replaced.db) == sides(reference.db))
        }
        #expect(try replaced.count("field_values") == 0)   // the last version's Tier is empty
    }
}
