import Catalogue
import Foundation
import Ingest
import SampleData
import Storage
import Testing

@Suite("Samples: the org on disk")
struct SampleOrgTests {
    @Test func everyFileLoadsWithoutOptions() throws {
        let replica = try Replica()
        let files = try samplesOnDisk.orgFiles()
        #expect(files.count == 10)
        let reports = try replica.load(files)
        for report in reports {
            #expect(report.read > 0, "\(report.path) read nothing")
            #expect(report.inserted + report.updated + report.unchanged == report.read, "\(report.path)")
        }
        let formats = Dictionary(uniqueKeysWithValues: reports.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.format) })
        #expect(formats == [
            "Campaign_Members.csv": "members-csv", "Campaigns.json": "json", "Contacts_2026_09_14.csv": "ui-csv",
            "Contacts_2026_11_20.csv": "ui-csv", "Contacts_deleted_001.json": "deleted", "Contacts_fields.json": "fields",
            "Leads_001.json": "json", "Leads_002.json": "json", "Leads_duplicate_check_preference.json": "duplicate-check-preference",
            "Leads_fields.json": "fields",
        ])
        #expect(try replica.count("SELECT count(*) FROM contacts") == 250)
        #expect(try replica.count("SELECT count(*) FROM leads") == 40)
        #expect(try replica.count("SELECT count(*) FROM campaigns") == 4)
        #expect(try replica.count("SELECT count(*) FROM campaign_members") > 0)
        #expect(try replica.count("SELECT count(*) FROM duplicate_check_mappings") == 1)
    }

    @Test func binRowsKeepTheFieldsOfTheOlderExport() throws {
        let replica = try Replica.withSampleOrg()
        #expect(try replica.count("SELECT count(*) FROM recycle_bin WHERE type = 'recycle' AND data IS NOT NULL AND Email IS NOT NULL") == 12)
        #expect(try replica.count("SELECT count(*) FROM recycle_bin WHERE type = 'permanent' AND data IS NULL") == 2)
        // Deleted after the older export: none of them is live any more.
        #expect(try replica.count("SELECT count(*) FROM contacts WHERE id IN (SELECT id FROM recycle_bin)") == 0)
    }

    @Test func theCatalogueMakesPhoneAndMemberNumberUnique() throws {
        let replica = try Replica.withSampleOrg()
        let contacts = try FieldCatalogue.load(replica.db, module: .contacts)
        #expect(contacts.uniqueFields.map(\.apiName) == ["Phone", "Member_Number"])
        #expect(contacts.field("Last_Name")?.systemMandatory == true)
        #expect(contacts.field("Customer_Tier")?.label == "Customer Tier")
        #expect(try FieldCatalogue.load(replica.db, module: .leads).uniqueFields.map(\.apiName) == ["Email"])
    }

    @Test func loadingTheOrgAgainChangesNothing() throws {
        let replica = try Replica.withSampleOrg()
        let again = try replica.load(try samplesOnDisk.orgFiles())
        #expect(again.allSatisfy { $0.inserted == 0 && $0.updated == 0 })
    }

    @Test func theFilesLoadInAnyOrder() throws {
        let inOrder = try Replica.withSampleOrg()
        let reversed = try Replica()
        try reversed.load(try samplesOnDisk.orgFiles().reversed())
        #expect(try inOrder.content() == reversed.content())
    }

    @Test func theFilesAreTheStorysOutput() throws {
        for file in SampleStory.files() {
            let path = samplesOnDisk.root.appendingPathComponent(file.folder).appendingPathComponent(file.name)
            #expect(try bytes(path) == file.bytes, "\(file.folder)/\(file.name) differs from what the story writes; run `crm-replica sample --story --out Samples --force`")
        }
    }

    @Test func theEmbeddedCopyEqualsTheFilesOnDisk() throws {
        var onDisk: [String] = []
        for folder in [SampleStory.orgFolder, SampleStory.batchesFolder] {
            let names = try FileManager.default.contentsOfDirectory(atPath: samplesOnDisk.root.appendingPathComponent(folder).path)
            onDisk += names.map { "\(folder)/\($0)" }
        }
        #expect(Set(EmbeddedSamples.files.map { "\($0.folder)/\($0.name)" }) == Set(onDisk))
        for file in EmbeddedSamples.files {
            let path = samplesOnDisk.root.appendingPathComponent(file.folder).appendingPathComponent(file.name)
            #expect(try bytes(path) == file.bytes, "\(file.folder)/\(file.name)")
        }
    }

    @Test func theLocatorPrefersTheFolderAndFallsBackToTheEmbeddedCopy() throws {
        let repository = samplesOnDisk.root.deletingLastPathComponent()
        #expect(SampleLocator.find(currentDirectory: repository, executable: nil) == .folder(samplesOnDisk.root))
        let elsewhere = try Replica()
        let beside = elsewhere.directory.appendingPathComponent("bin/crm-replica")
        #expect(SampleLocator.find(currentDirectory: elsewhere.directory, executable: beside) == .embedded)

        let written = try SampleLocation.embedded.files(scratch: beside.deletingLastPathComponent().appendingPathComponent("Samples", isDirectory: true))
        #expect(try written.orgFiles().map(\.lastPathComponent) == samplesOnDisk.orgFiles().map(\.lastPathComponent))
        #expect(try bytes(written.upsertBatch) == bytes(samplesOnDisk.upsertBatch))
        #expect(SampleLocator.find(currentDirectory: elsewhere.directory, executable: beside) == .folder(written.root))
    }
}
