import Catalogue
import Formats
import Foundation
import Persistence
import Storage

/// Loads Zoho exports into the replica: the entry point for `crm-replica load` and any other
/// front end. Each file loads in one transaction: a file with any problem loads nothing, and
/// the error names the file, the CSV line or JSON path, and what was expected. Records are keyed
/// by their Zoho id, so loading a file again changes nothing. `load(paths:…)` (PageRun.swift)
/// loads a list the same way, but a run of API pages shares one transaction, a savepoint a page.
public final class Loader {
    let db: Database
    let store: RecordStore

    public init(db: Database) {
        self.db = db
        store = RecordStore(db: db)
    }

    public func load(path: String, options: LoadOptions) throws -> FileReport {
        let file = try InputFile(path: path)
        return try load(file, detection: try FormatDetection.detect(file, options: options), options: options)
    }

    /// Loads a file already detected, in a transaction of its own (a savepoint inside a run of pages).
    func load(_ file: InputFile, detection: Detection, options: LoadOptions) throws -> FileReport {
        // The catalogue may have changed since the last file (or been rolled back with it).
        store.forgetCatalogues()
        let tally: Tally
        do {
            tally = try db.write {
                let (tally, hashed) = try apply(detection, file: file, options: options)
                try logLoad(file, detection: detection, tally: tally, sha256: try hashed ?? FileDigest.sha256(path: file.path))
                return tally
            }
        } catch {
            store.forgetCatalogues()
            throw LoadError(error, path: file.path)
        }
        return report(file, detection: detection, tally: tally)
    }

    /// The file's `import_log` row, written in its transaction.
    func logLoad(_ file: InputFile, detection: Detection, tally: Tally, sha256: String) throws {
        var entry = ImportLog.Entry(kind: .load, source: file.path, sha256: sha256, module: detection.module,
                                    format: detection.format.rawValue)
        (entry.read, entry.inserted, entry.updated, entry.unchanged) = (tally.read, tally.inserted, tally.updated, tally.unchanged)
        try ImportLog.append(db, entry)
    }

    func report(_ file: InputFile, detection: Detection, tally: Tally) -> FileReport {
        FileReport(path: file.path, module: detection.module?.rawValue, format: detection.format.rawValue,
                   read: tally.read, inserted: tally.inserted, updated: tally.updated,
                   unchanged: tally.unchanged, rejected: 0, stale: tally.stale, skipped: tally.skipped,
                   delimiter: detection.format.container == .csv ? detection.delimiter : nil,
                   encoding: detection.encoding == .utf8 ? nil : detection.encoding)
    }

    /// Loads the file; returns the tally and the file's SHA-256 when the loader hashed it as it read.
    private func apply(_ detection: Detection, file: InputFile, options: LoadOptions) throws -> (Tally, sha256: String?) {
        var progress = ProgressMeter(options.progress, total: file.size)
        // Detection sets the module for every format that needs one, and the document for JSON;
        // these throw (or parse) rather than fall back to a default should that ever not hold.
        func module() throws -> Module {
            guard let module = detection.module else {
                throw LoadError.undetectableModule(path: file.path, format: detection.format)
            }
            return module
        }
        func document() throws -> JSONValue { try detection.document ?? JSONDocument.parse(file) }
        /// `--campaign` as a record id (`zcrm_` prefix dropped); a related list cannot load without it.
        func campaign(required: Bool) throws -> String? {
            guard let given = options.campaignID else {
                if required { throw LoadError.campaignRequired(path: file.path) }
                return nil
            }
            guard let id = ExportID.normalize(given) else { throw LoadError.invalidCampaignID(path: file.path, value: given) }
            return id
        }
        let tally: Tally
        switch detection.format {
        case .uiExportCSV, .bulkReadCSV:
            let loaded = try CSVRecordsLoader(file: file, detection: detection, module: try module(), store: store).load(progress: &progress)
            return (loaded.tally, loaded.sha256)
        case .membersCSV, .relatedListCSV:
            tally = try MembersCSVLoader(file: file, detection: detection, campaignID: try campaign(required: detection.format == .relatedListCSV),
                                         store: store).load(progress: &progress)
        case .ndjson:
            let loaded = try NDJSONLoader(file: file, module: try module(), store: store).load(progress: &progress)
            return (loaded.tally, loaded.sha256)
        case .apiJSON:
            let module = try module()
            tally = try APIPageLoader(file: file, records: try APIPageLoader.records(detection, file: file, module: module), module: module, store: store).load()
        case .deletedJSON:
            tally = try DeletedRecordsLoader(file: file, document: try document(), module: try module(), store: store).load()
        case .fieldsJSON:
            tally = try FieldMetadataLoader(file: file, document: try document(), module: try module(), store: store).load()
        case .duplicateCheckPreference:
            tally = try PreferenceLoader(file: file, document: try document(), store: store).load()
        case .modulesJSON:
            tally = try ModuleMetadataLoader(file: file, document: try document(), store: store).load()
        case .relatedListJSON:
            tally = try RelatedListLoader(file: file, document: try document(), campaignID: try campaign(required: true)!,
                                          memberModule: try module(), store: store).load()
        }
        if detection.format.container == .json { progress.finish(at: file.size) }
        return (tally, nil)
    }
}
