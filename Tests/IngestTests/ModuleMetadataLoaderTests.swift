import Catalogue
import Foundation
import Ingest
import Persistence
import Storage
import Testing

/// `GET /settings/modules` loaded through the library: the module ids `duplicate_record.module`
/// needs, the latest load winning, and bad input refused whole.
@Suite("Loader: module metadata")
struct ModuleMetadataLoaderTests {
    static let contacts = "5725767000000002179"

    static func ids(_ fixture: LoaderFixture) throws -> [String: String?] {
        var ids: [String: String?] = [:]
        try fixture.db.statement("SELECT api_name, id FROM module_ids").forEachRow { ids[$0.text(0) ?? ""] = $0.text(1) }
        return ids
    }

    @Test func everyListedModuleKeepsItsIdAndTheLatestLoadWins() throws {
        let fixture = try LoaderFixture()
        let report = try fixture.load("modules.json", """
            {"modules":[{"api_name":"Contacts","id":"\(Self.contacts)","module_name":"Contacts","generated_type":"default"},
             {"api_name":"Deals","id":5725767000000002181},{"api_name":"Leads","id":null}]}
            """)
        #expect(report.format == "modules" && report.module == nil)
        #expect((report.read, report.inserted, report.updated, report.unchanged) == (3, 3, 0, 0))
        let stored: [String: String?] = ["Contacts": Self.contacts, "Deals": "5725767000000002181", "Leads": String?.none]
        #expect(try Self.ids(fixture) == stored)
        #expect(try ModuleIDs.known(fixture.db) == [.contacts: Self.contacts], "a module without an id is not known")

        // One page of a later listing: what it names is replaced, what it does not name stays.
        let page = try fixture.load("modules_page2.json", #"{"modules":[{"api_name":"Leads","id":"5725767000000002175"},{"api_name":"Deals","id":"5725767000000002181"}],"info":{"page":2}}"#)
        #expect((page.read, page.inserted, page.updated, page.unchanged) == (2, 0, 1, 1))
        #expect(try ModuleIDs.known(fixture.db) == [.contacts: Self.contacts, .leads: "5725767000000002175"])
    }

    @Test func badInputNamesTheJSONPathAndLoadsNothing() throws {
        let fixture = try LoaderFixture()
        let notArray = try fixture.write("modules.json", #"{"modules":{"api_name":"Contacts"}}"#)
        #expect(fixture.loadError(notArray) == .unexpected(path: notArray, at: .jsonPath("$.modules"), expected: "an array", found: "an object"))
        let noName = try fixture.write("modules2.json", #"{"modules":[{"api_name":"Contacts","id":"5725767000000002179"},{"id":"5725767000000002175"}]}"#)
        #expect(fixture.loadError(noName) == .unexpected(path: noName, at: .jsonPath("$.modules[1].api_name"),
                                                          expected: "a field API name (letters, digits and underscores)", found: "nothing"))
        let badID = try fixture.write("modules3.json", #"{"modules":[{"api_name":"Contacts","id":"abc"}]}"#)
        #expect(fixture.loadError(badID) == .invalidRecordID(path: badID, at: .jsonPath("$.modules[0].id"), found: "\"abc\""))
        let twice = try fixture.write("modules4.json", #"{"modules":[{"api_name":"Contacts","id":"1"},{"api_name":"Contacts","id":"2"}]}"#)
        #expect(fixture.loadError(twice) == .duplicateItem(path: twice, at: .jsonPath("$.modules[1].api_name"),
                                                            firstAt: .jsonPath("$.modules[0].api_name"), item: "the module Contacts"))
        #expect(fixture.loadError(noName, LoadOptions(module: .contacts)) == .flagNotUsable(path: noName, flag: .module, format: .modulesJSON))
        #expect(try Self.ids(fixture).isEmpty)
    }
}
