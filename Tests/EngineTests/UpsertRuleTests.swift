import Catalogue
import Formats
import Foundation
import Persistence
import Storage
import Testing
@testable import Engine

/// One test per rule of docs/rules.md#one-record-of-an-upsert, through the library against real SQLite files.
struct CheckPatternTests {
    @Test func zohosDocumentedTable() throws {
        let org = try Org()
        try org.addCustomUniqueField("u1")
        try org.addCustomUniqueField("u2")
        let catalogue = try org.store.catalogue(.contacts)
        func pattern(_ listed: [String]?) -> [String] { CheckPattern(module: .contacts, catalogue: catalogue, duplicateCheckFields: listed).fields }
        #expect(catalogue.uniqueFields.map(\.apiName) == ["u1", "u2"])
        #expect(pattern(["u1"]) == ["u1", "u2"])
        #expect(pattern(["u2"]) == ["u2", "u1"])
        #expect(pattern(["u1", "u2"]) == ["u1", "u2"])
        #expect(pattern(["Email"]) == ["Email", "u1", "u2"])
        #expect(pattern(nil) == ["Email", "u1", "u2"])
        #expect(CheckPattern(module: .contacts, catalogue: catalogue, duplicateCheckFields: ["u1"]).systemFieldDropped)
        #expect(CheckPattern(module: .contacts, catalogue: catalogue, duplicateCheckFields: ["Mailing_City"]).ignored == ["Mailing_City"])
    }
}

struct UpsertTests {
    @Test func noMatchInserts() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "ann@example.com")
        let verdict = try #require(try org.run(.upsert, [person("bob@example.com")], dcf: ["Email"]).first)
        #expect(verdict.outcome.code == .success)
        #expect(verdict.outcome.action == .insert)
        #expect(verdict.outcome.duplicateField == nil)
        #expect(try org.count("contacts") == 2)
    }

    @Test func caseOnlyDifferenceUpdatesTheHolder() throws {
        let org = try Org()
        let id = try org.contact("5725767000000100001", email: "Ann@Example.com")
        let verdict = try #require(try org.run(.upsert, [person("ann@example.COM", last: "Smith")], dcf: ["Email"]).first)
        #expect(verdict.outcome.action == .update)
        #expect(verdict.outcome.duplicateField == "Email")
        #expect(verdict.outcome.recordID == id)
        #expect(verdict.candidates.first { $0.recordID == id }?.match == .case)
        let stored = try #require(try org.store.find(module: .contacts, id: id))
        #expect(stored.record.text("Last_Name") == "Smith")
        #expect(stored.record.text("Email") == "ann@example.COM")
        #expect(try org.count("contacts") == 1)
    }

    @Test func firstMatchingFieldOfThePatternWins() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        let byPhone = try org.contact("5725767000000100001", email: "a@example.com", phone: "+1 555 0100")
        try org.contact("5725767000000100002", email: "b@example.com", phone: "+1 555 0199")
        let verdict = try #require(try org.run(.upsert, [person("b@example.com", phone: "+1 555 0100")], dcf: ["Phone", "Email"]).first)
        // Phone decides (first in the pattern); the record then would write Email b@… which B holds,
        // but Email is not unique, so only Phone matters: update A.
        #expect(verdict.outcome.code == .success)
        #expect(verdict.outcome.duplicateField == "Phone")
        #expect(verdict.outcome.recordID == byPhone)
    }

    @Test func systemFieldNotListedIsNotChecked() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        try org.contact("5725767000000100001", email: "ann@example.com", phone: "111")
        let verdict = try #require(try org.run(.upsert, [person("ann@example.com", phone: "222")], dcf: ["Phone"]).first)
        #expect(verdict.outcome.action == .insert)
        #expect(verdict.pattern.fields == ["Phone"])
        #expect(verdict.notes.map(\.text).contains { $0.contains("does not list Email") })
        #expect(try org.count("contacts") == 2)
    }

    @Test func severalHoldersFailUnderMultiMatchError() throws {
        let org = try Org()
        let older = try org.contact("5725767000000100002", email: "Sam@Example.com", created: "2024-01-01T00:00:00+00:00")
        try org.contact("5725767000000100001", email: "sam@example.com", created: "2025-01-01T00:00:00+00:00")
        let verdict = try #require(try org.run(.upsert, [person("SAM@example.com")], dcf: ["Email"]).first)
        #expect(verdict.outcome.code == .duplicateData)
        #expect(verdict.outcome.recordID == older)
        #expect(verdict.outcome.moreRecords)
        #expect(verdict.outcome.apiName == "Email")
        #expect(verdict.outcome.jsonPath == "$.data[0].Email")
        #expect(try org.count("contacts") == 2)
    }

    @Test func severalHoldersUpdateTheOldestUnderMultiMatchOldest() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "sam@example.com", created: "2025-01-01T00:00:00+00:00")
        let older = try org.contact("5725767000000100009", email: "Sam@Example.com", created: "2024-01-01T00:00:00+00:00")
        let verdict = try #require(try org.run(.upsert, [person("sam@example.com")], dcf: ["Email"], settings: "multi_match=oldest").first)
        #expect(verdict.outcome.action == .update)
        #expect(verdict.outcome.recordID == older)
    }

    @Test func recycleBinHolderCountsOnlyWhenSwitchedOn() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "fay@example.com")
        let off = try #require(try org.run(.upsert, [person("fay@example.com")], dcf: ["Email"]).first)
        #expect(off.outcome.action == .insert)
        let binCandidate = try #require(off.candidates.first { $0.location == .recycleBin })
        #expect(!binCandidate.counts)
        #expect(binCandidate.whyNotCounted?.text.contains("recycle_bin_counts is false") == true)

        let org2 = try Org()
        try org2.binned("5725767000000500001", email: "fay@example.com")
        let on = try #require(try org2.run(.upsert, [person("Fay@example.com")], dcf: ["Email"], settings: "recycle_bin_counts=true").first)
        #expect(on.outcome.code == .duplicateData)
        #expect(on.outcome.recordID == "5725767000000500001")
        #expect(try org2.count("contacts") == 0)
    }

    @Test func purgedBinRowsNeverCount() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "fay@example.com", deleted: "2026-08-01T00:00:00+00:00")
        let verdict = try #require(try org.run(.upsert, [person("fay@example.com")], settings: "recycle_bin_counts=true").first)
        #expect(verdict.outcome.action == .insert)
        #expect(verdict.candidates.first?.whyNotCounted?.text.contains("purged") == true)
    }

    @Test func leadUpsertChecksContactsOnlyWithCrossModuleOnUpsert() throws {
        let org = try Org()
        try org.mapLeadEmailToContacts()
        let contact = try org.contact("5725767000000774010", email: "kim@example.com")
        let off = try #require(try org.run(.upsert, [person("kim@example.com")], module: .leads).first)
        #expect(off.outcome.action == .insert)
        let on = try #require(try org.run(.upsert, [person("KIM@example.com")], module: .leads, settings: "cross_module_on_upsert=true").first)
        #expect(on.outcome.code == .duplicateData)
        #expect(on.outcome.recordID == contact)
        #expect(on.outcome.recordModule == .contacts)
    }

    @Test func nearMissCountsOnlyUnderMatchUnicode() throws {
        let org = try Org()
        let id = try org.contact("5725767000000100001", email: "lee@example.com\u{00A0}")
        let nocase = try #require(try org.run(.upsert, [person("lee@example.com")]).first)
        #expect(nocase.outcome.action == .insert)
        #expect(nocase.candidates.first { $0.recordID == id }?.match == .whitespace)

        let org2 = try Org()
        let id2 = try org2.contact("5725767000000100001", email: "ÉMILE@example.com")
        let unicode = try #require(try org2.run(.upsert, [person("émile@example.com")], settings: "match=unicode").first)
        #expect(unicode.outcome.action == .update)
        #expect(unicode.outcome.recordID == id2)
        #expect(unicode.candidates.first?.match == .unicodeCase)
    }

    /// A key column stores its near-miss key only where it differs from the value ASCII-lower-cased;
    /// near-miss lookups find both kinds, live and in the bin.
    @Test func nearMissFindsRowsWithAndWithoutAStoredKey() throws {
        let org = try Org()
        let plain = try org.contact("5725767000000100001", email: "lee@example.com", phone: "+1 555 1")
        let spaced = try org.contact("5725767000000100002", email: "ann@example.com\u{00A0}")
        let accented = try org.contact("5725767000000100003", email: "ÉMILE@x.io")
        try org.binned("5725767000000500001", email: "Bin@Example.com")
        let keys = try org.db.statement("SELECT id, email_key, phone_key FROM contacts ORDER BY id").rows { row in
            (0..<row.columnCount).map { row.value($0) }
        }
        #expect(keys == [[.text(plain), .null, .null], [.text(spaced), .text("ann@example.com"), .null],
                         [.text(accented), .text("émile@x.io"), .null]])
        #expect(try org.db.scalarText("SELECT coalesce(email_key, 'NULL') FROM recycle_bin") == "NULL")

        let whitespace = try #require(try org.run(.upsert, [person("lee@example.com\u{00A0}")], settings: "recycle_bin_counts=true").first)
        #expect(whitespace.candidates.first { $0.recordID == plain }?.match == .whitespace)
        let unicode = try #require(try org.run(.upsert, [person("émile@x.io")], settings: "match=unicode").first)
        #expect(unicode.outcome.action == .update)
        #expect(unicode.outcome.recordID == accented)
        let binned = try #require(try org.run(.upsert, [person("bin@example.com\u{200B}")], settings: "recycle_bin_counts=true").first)
        #expect(binned.candidates.contains { $0.recordID == "5725767000000500001" })
    }

    @Test func uniqueFieldClashBlocksAnInsert() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        let holder = try org.contact("5725767000000100001", email: "old@example.com", phone: "+44 20 7946 0000")
        let verdict = try #require(try org.run(.insert, [person("new@example.com", phone: "+44 20 7946 0000")]).first)
        #expect(verdict.outcome.code == .duplicateData)
        #expect(verdict.outcome.apiName == "Phone")
        #expect(verdict.outcome.recordID == holder)
        #expect(try org.count("contacts") == 1)
    }

    /// Unique fields are appended to the pattern, so a new email with a known unique Phone
    /// silently updates the Phone's holder: the surprise the user must see.
    @Test func newEmailWithAKnownUniquePhoneUpdatesThePhoneHolder() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        let holder = try org.contact("5725767000000100001", email: "old@example.com", phone: "+44 20 7946 0000")
        let verdict = try #require(try org.run(.upsert, [person("new@example.com", phone: "+44 20 7946 0000")], dcf: ["Email"]).first)
        #expect(verdict.outcome.action == .update)
        #expect(verdict.outcome.duplicateField == "Phone")
        #expect(verdict.outcome.recordID == holder)
        #expect(try org.store.find(module: .contacts, id: holder)?.record.text("Email") == "new@example.com")
    }

    @Test func uniqueFieldClashBlocksAnUpdateOfTheMatchedRecord() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        try org.contact("5725767000000100001", email: "a@example.com", phone: "111")
        let other = try org.contact("5725767000000100002", email: "b@example.com", phone: "222")
        let verdict = try #require(try org.run(.upsert, [person("a@example.com", phone: "222")], dcf: ["Email"]).first)
        #expect(verdict.outcome.code == .duplicateData)
        #expect(verdict.outcome.apiName == "Phone")
        #expect(verdict.outcome.recordID == other)
    }

    @Test func customUniqueFieldIsCheckedThroughTheSideIndex() throws {
        let org = try Org()
        try org.addCustomUniqueField("Member_Number")
        let holder = try org.contact("5725767000000100001", email: "a@example.com", extra: ["Member_Number": .string("M-77")])
        let verdict = try #require(try org.run(.insert, [person("b@example.com", extra: ["Member_Number": .string("m-77")])]).first)
        #expect(verdict.outcome.code == .duplicateData)
        #expect(verdict.outcome.apiName == "Member_Number")
        #expect(verdict.outcome.recordID == holder)
    }

    @Test func mandatoryFieldOnlyWhenInserting() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "a@example.com")
        let missing = try #require(try org.run(.upsert, [person("new@example.com", last: nil)]).first)
        #expect(missing.outcome.code == .mandatoryNotFound)
        #expect(missing.outcome.apiName == "Last_Name")
        #expect(missing.outcome.jsonPath == "$.data[0].Last_Name")
        let update = try #require(try org.run(.upsert, [person("a@example.com", last: nil)]).first)
        #expect(update.outcome.action == .update)
    }

    @Test func malformedEmailIsInvalidData() throws {
        let org = try Org()
        let verdict = try #require(try org.run(.upsert, [person("not an email")]).first)
        #expect(verdict.outcome.code == .invalidData)
        #expect(verdict.outcome.expectedDataType == "email")
        #expect(verdict.outcome.apiName == "Email")
    }

    @Test func unknownFieldsAreIgnoredAndNoted() throws {
        let org = try Org()
        let verdict = try #require(try org.run(.upsert, [person("a@example.com", extra: ["Campaign_ID": .string("5725767000000900001"), "Shoe_Size": .number("42")])]).first)
        #expect(verdict.outcome.code == .success)
        #expect(verdict.notes.map(\.text).contains { $0.contains("Campaign_ID") && $0.contains("creates no campaign membership") })
        #expect(verdict.notes.map(\.text).contains { $0.contains("Shoe_Size") && $0.contains("ignores it") })
        #expect(try org.count("campaign_members") == 0)
    }
}

struct InsertAndUpdateTests {
    @Test func insertAllowsARepeatedEmailUnlessEmailIsUnique() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "a@example.com")
        let allowed = try #require(try org.run(.insert, [person("A@example.com")]).first)
        #expect(allowed.outcome.code == .success)
        #expect(try org.count("contacts") == 2)
        try org.makeUnique("Email")
        let blocked = try #require(try org.run(.insert, [person("a@EXAMPLE.com")]).first)
        #expect(blocked.outcome.code == .duplicateData)
        #expect(blocked.outcome.moreRecords)
        #expect(try org.count("contacts") == 2)
    }

    /// Holders of a field the operation never checks are still evidence, shown as not counting.
    @Test func insertShowsHoldersOfANonUniqueEmailWithoutCountingThem() throws {
        let org = try Org()
        let a = try org.contact("5725767000000100001", email: "twin@example.com")
        let b = try org.contact("5725767000000100002", email: "TWIN@example.com")
        let verdict = try #require(try org.run(.insert, [person("twin@example.com")]).first)
        #expect(verdict.outcome.code == .success)
        let holders = verdict.candidates.filter { $0.checkedField == "Email" && $0.module == .contacts }
        #expect(Set(holders.map(\.recordID)) == [a, b])
        #expect(holders.allSatisfy { !$0.counts && $0.whyNotCounted?.text.contains("not unique") == true })
    }

    @Test func leadInsertAppliesTheDuplicateCheckPreference() throws {
        let org = try Org()
        try org.mapLeadEmailToContacts()
        let contact = try org.contact("5725767000000774010", email: "pat@example.com")
        let verdict = try #require(try org.run(.insert, [person("pat@example.com")], module: .leads).first)
        #expect(verdict.outcome.code == .duplicateData)
        #expect(verdict.outcome.recordModule == .contacts)
        #expect(verdict.outcome.recordID == contact)
        let json = ZohoResponse.item(verdict.outcome, operation: .insert)
        #expect(json["details"]?["duplicate_record"]?["module"]?["api_name"] == .string("Contacts"))
    }

    @Test func updateNeedsALiveId() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "x@example.com")
        let verdict = try #require(try org.run(.update, [["id": .string("5725767000000500001"), "Last_Name": .string("X")]]).first)
        #expect(verdict.outcome.code == .invalidData)
        #expect(verdict.outcome.apiName == "id")
        #expect(verdict.outcome.jsonPath == "$.data[0].id")
    }

    @Test func updateKeepsItsOwnUniqueValuesButNotAnothers() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        let a = try org.contact("5725767000000100001", email: "a@example.com", phone: "111")
        let b = try org.contact("5725767000000100002", email: "b@example.com", phone: "222")
        let own = try #require(try org.run(.update, [["id": .string(a), "Phone": .string("111"), "Title": .string("CEO")]]).first)
        #expect(own.outcome.code == .success)
        #expect(own.outcome.action == .update)
        let clash = try #require(try org.run(.update, [["id": .number(a), "Phone": .string("222")]]).first)
        #expect(clash.outcome.code == .duplicateData)
        #expect(clash.outcome.recordID == b)
    }
}

struct BatchTests {
    @Test func sequentialBatchSeesEarlierRows() throws {
        let org = try Org()
        let verdicts = try org.run(.upsert, [person("twin@example.com", last: "One"), person("Twin@example.com", last: "Two")], dcf: ["Email"])
        #expect(verdicts.map(\.outcome.action) == [.insert, .update])
        #expect(verdicts[1].outcome.recordID == verdicts[0].outcome.recordID)
        #expect(verdicts[1].candidates.first?.location == .batch(row: 0))
        #expect(try org.count("contacts") == 1)
    }

    @Test func snapshotBatchSeesOnlyThePriorState() throws {
        let org = try Org()
        let verdicts = try org.run(.upsert, [person("twin@example.com"), person("twin@example.com")], settings: "batch_visibility=snapshot")
        #expect(verdicts.map(\.outcome.action) == [.insert, .insert])
        #expect(verdicts[1].candidates.first?.whyNotCounted?.text.contains("snapshot") == true)
        #expect(try org.count("contacts") == 2)
    }

    @Test func batchOverTheLimitIsRefusedWhole() throws {
        let org = try Org()
        let session = try org.session()
        let records = (0..<101).map { Record(fields: person("p\($0)@example.com")) }
        let result = try session.run(RecordsRequest(module: .contacts, operation: .upsert, records: records))
        #expect(result.requestError?.code == .limitExceeded)
        #expect(result.verdicts.isEmpty)
        #expect(try org.count("contacts") == 0)
        let envelope = ZohoResponse.envelope(result, operation: .upsert)
        #expect(envelope["code"] == .string("LIMIT_EXCEEDED"))
        let wider = try org.session("batch_limit=200")
        #expect(try wider.run(RecordsRequest(module: .contacts, operation: .upsert, records: records)).verdicts.count == 101)
        #expect(try org.count("contacts") == 101)
    }

    /// The seed's story: new contacts upserted with duplicate_check_fields [Email]; the failures
    /// each point at the record that caused them.
    @Test func seedCaseEachFailurePointsAtItsCause() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        let caseTwinOld = try org.contact("5725767000000100001", email: "Dup@Example.com", created: "2023-01-01T00:00:00+00:00")
        try org.contact("5725767000000100002", email: "dup@example.com", created: "2024-01-01T00:00:00+00:00")
        let phoneHolder = try org.contact("5725767000000100003", email: "someone@example.com", phone: "+1 202 555 0143")
        try org.contact("5725767000000100004", email: "known@example.com")
        try org.binned("5725767000000500001", email: "binned@example.com")
        let verdicts = try org.run(.upsert, [
            person("fresh1@example.com"),
            person("DUP@example.com"),
            person("known@example.com", phone: "+1 202 555 0143"),
            person("binned@example.com"),
        ], dcf: ["Email"])
        #expect(verdicts.map(\.outcome.code) == [.success, .duplicateData, .duplicateData, .success])
        #expect(verdicts[1].outcome.recordID == caseTwinOld)
        #expect(verdicts[1].outcome.apiName == "Email")
        #expect(verdicts[2].outcome.recordID == phoneHolder)
        #expect(verdicts[2].outcome.apiName == "Phone")
        #expect(verdicts[3].outcome.action == .insert)
    }
}

struct ResponseTests {
    @Test func upsertItemsHaveTheV8Shape() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "a@example.com")
        let verdicts = try org.run(.upsert, [person("a@example.com"), person("b@example.com")])
        let added = ZohoResponse.item(verdicts[1].outcome, operation: .upsert)
        #expect(added.objectValue.map { Array($0.keys) } == ["code", "duplicate_field", "action", "details", "message", "status"])
        #expect(added["message"] == .string("record added"))
        #expect(added["duplicate_field"] == .null)
        #expect(added["details"]?["Created_Time"] == .string("2026-11-28T10:00:00+00:00"))
        #expect(added["details"]?["Created_By"]?["name"] == .string("crm-replica"))
        let updated = ZohoResponse.item(verdicts[0].outcome, operation: .upsert)
        #expect(updated["message"] == .string("record updated"))
        #expect(updated["duplicate_field"] == .string("Email"))
        #expect(updated["details"]?["id"] == .string("5725767000000100001"))
    }

    @Test func createdIdsAre19DigitsAboveEveryLoadedId() throws {
        let org = try Org()
        try org.contact("5725767000000999999", email: "a@example.com")
        let verdicts = try org.run(.insert, (0..<5).map { person("n\($0)@example.com") })
        let ids = verdicts.compactMap(\.outcome.recordID)
        #expect(ids.count == 5)
        #expect(Set(ids).count == 5)
        for id in ids {
            #expect(id.count == 19)
            #expect(Int64(id)! > 5725767000000999999)
        }
    }

    @Test func duplicateErrorHasDetailsZohoDocuments() throws {
        let org = try Org()
        try org.makeUnique("Email")
        try org.contact("5725767000000774010", email: "pat@example.com")
        let verdict = try #require(try org.run(.insert, [person("pat@example.com")]).first)
        let item = ZohoResponse.item(verdict.outcome, operation: .insert)
        #expect(item["code"] == .string("DUPLICATE_DATA"))
        #expect(item["message"] == .string("duplicate data"))
        #expect(item["status"] == .string("error"))
        #expect(item["details"]?["api_name"] == .string("Email"))
        #expect(item["details"]?["json_path"] == .string("$.data[0].Email"))
        #expect(item["details"]?["more_records"] == .bool(false))
        #expect(item["details"]?["duplicate_record"]?["id"] == .string("5725767000000774010"))
        #expect(item["details"]?["duplicate_record"]?["Owner"]?["name"] == .string("Patricia Boyle"))
    }
}

struct IndexUseTests {
    /// Every statement the evaluator runs must search an index, never scan a table.
    @Test func evaluatorLookupsNeverScan() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        try org.addCustomUniqueField("Member_Number")
        try org.mapLeadEmailToContacts()
        try org.contact("5725767000000100001", email: "a@example.com", phone: "1")
        try org.binned("5725767000000500001", email: "b@example.com")
        org.db.queryLog = QueryLog()
        _ = try org.run(.upsert, [person("a@example.com", phone: "1", extra: ["Member_Number": .string("9")])], settings: "recycle_bin_counts=true", "match=unicode")
        _ = try org.run(.insert, [person("a@example.com", phone: "2")], module: .leads)
        let lookups = Set((org.db.queryLog?.entries ?? []).map(\.sql).filter { $0.hasPrefix("SELECT") && ($0.contains("WHERE") ) })
        #expect(lookups.count >= 6)
        org.db.queryLog = nil
        for sql in lookups {
            let arity = sql.filter { $0 == "?" }.count
            let plan = try org.db.statement("EXPLAIN QUERY PLAN " + sql).rows(Array(repeating: SQLValue.text("x"), count: arity)) { $0.text(3) ?? "" }
            for step in plan {
                #expect(!step.hasPrefix("SCAN"), "\(sql) → \(step)")
            }
        }
    }
}

struct AlternativesTests {
    @Test func whatIfNamesTheSettingThatWouldChangeTheVerdict() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "fay@example.com")
        let session = try org.session()
        let input = EvaluationInput(module: .contacts, operation: .upsert, record: Record(fields: person("fay@example.com")))
        let verdict = try session.evaluate(input)
        let alternatives = try session.evaluator.alternatives(input, settings: session.settings, baseline: verdict)
        #expect(alternatives.map(\.setting) == [.recycleBinCounts])
        #expect(alternatives.first?.verdict.outcome.code == .duplicateData)
        #expect(verdict.alternatives.isEmpty, "without whatIf a verdict carries none")
    }

    /// `whatIf` fills each verdict's alternatives in the one run, before the record is written:
    /// row 1 sees row 0's record (batch_visibility changes it), row 0 never matches itself.
    @Test func whatIfVerdictsCarryTheirAlternativesFoundBeforeTheWrite() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "fay@example.com")
        let session = try org.session()
        session.whatIf = true
        let body: JSONValue = .object(["data": .array([.object(person("fay@example.com")), .object(person("FAY@example.com"))])])
        let request = APIRequest(method: "POST", target: "/crm/v8/Contacts/upsert", body: body)
        let result = try org.db.dryRun { try session.handle(request, depth: .full) }
        let verdicts = result.items.compactMap(\.verdict)
        #expect(verdicts.map(\.outcome.action) == [.insert, .update])
        #expect(verdicts[0].alternatives.map(\.setting) == [.recycleBinCounts])
        #expect(verdicts[0].alternatives.first?.value == "true")
        #expect(verdicts[0].alternatives.first?.verdict.settings.recycleBinCounts == true)
        #expect(verdicts[0].alternatives.first?.verdict.outcome.recordID == "5725767000000500001")
        #expect(verdicts[1].alternatives.map(\.setting) == [.recycleBinCounts, .batchVisibility])
        #expect(verdicts[1].alternatives.last?.verdict.outcome.action == .insert)
        #expect(verdicts.allSatisfy { $0.alternatives.allSatisfy { $0.verdict.alternatives.isEmpty } })

        let plain = try org.session()
        let unexplained = try org.db.dryRun { try plain.handle(request, depth: .full) }
        #expect(unexplained.body == result.body)
        #expect(unexplained.items.allSatisfy { $0.verdict?.alternatives.isEmpty == true })
    }

    /// The what-if evaluations are not the verdict's own statements: a query log records only those.
    @Test func whatIfLeavesTheQueryLogToTheVerdict() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "fay@example.com")
        let input = EvaluationInput(module: .contacts, operation: .upsert, record: Record(fields: person("fay@example.com")))
        func logged(whatIf: Bool) throws -> [QueryLog.Entry] {
            let session = try org.session()
            session.whatIf = whatIf
            _ = try session.store.catalogue(.contacts)
            let log = QueryLog()
            org.db.queryLog = log
            defer { org.db.queryLog = nil }
            let verdict = try session.evaluate(input)
            #expect(verdict.alternatives.isEmpty != whatIf)
            return log.entries
        }
        let plain = try logged(whatIf: false)
        #expect(!plain.isEmpty)
        #expect(try logged(whatIf: true) == plain)
    }
}
