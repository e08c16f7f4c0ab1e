import Foundation

/// The files of `Samples/zoho-org` and `Samples/batches`, compiled into the binary
/// (`.embedInCode` in Package.swift), so that an installed `crm-replica demo` has its story
/// without the repository beside it.
///
/// SwiftPM flattens an embedded folder into one constant per file, named after the file with
/// `.` and `-` as `_`; the folder a file belongs to is therefore listed here. A test checks
/// this list against the folders on disk, so a file added there and not here is caught.
public enum EmbeddedSamples {
    public static let files: [SampleFile] = org + batches

    private static let org = [
        (OrgFileNames.members, PackageResources.Campaign_Members_csv),
        (OrgFileNames.campaigns, PackageResources.Campaigns_json),
        (OrgFileNames.olderContacts, PackageResources.Contacts_2026_09_14_csv),
        (OrgFileNames.contacts, PackageResources.Contacts_2026_11_20_csv),
        (OrgFileNames.deletedPage(1), PackageResources.Contacts_deleted_001_json),
        (OrgFileNames.contactFields, PackageResources.Contacts_fields_json),
        (OrgFileNames.leadsPage(1), PackageResources.Leads_001_json),
        (OrgFileNames.leadsPage(2), PackageResources.Leads_002_json),
        (OrgFileNames.preference, PackageResources.Leads_duplicate_check_preference_json),
        (OrgFileNames.leadFields, PackageResources.Leads_fields_json),
    ].map { SampleFile(folder: SampleStory.orgFolder, name: $0.0, bytes: $0.1) }

    private static let batches = [
        (SampleStory.upsertBatch, PackageResources.campaign_upsert_json),
        (SampleStory.membershipRequests, PackageResources.campaign_members_ndjson),
    ].map { SampleFile(folder: SampleStory.batchesFolder, name: $0.0, bytes: $0.1) }

    /// Writes `root/zoho-org/…` and `root/batches/…`: the layout `SampleLocator` finds.
    public static func write(to root: URL) throws {
        try SampleFiles.write(files, to: root)
    }
}
