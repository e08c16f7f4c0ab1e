import Catalogue
import Storage

/// Loads a UI export or a Bulk Read CSV into a module's live records, one row at a time, so
/// memory stays flat whatever the file size. Every cell is kept exactly as exported: no
/// trimming, no case change, an empty cell is an empty string, multi-line values stay whole.
/// A row whose every cell is empty is no record: Excel writes such rows (`,,,,`) below the data
/// of a sheet it saves as CSV, and they are counted `skipped`.
struct CSVRecordsLoader {
    let file: InputFile
    let detection: Detection
    let module: Module
    let store: RecordStore

    func load(progress: inout ProgressMeter) throws -> Tally {
        let reader = try CSVFile.open(file.path, delimiter: detection.delimiter)
        var tally = Tally()
        var recordIndex = 0
        var columns: ColumnMap?
        var writer: BulkWriter?
        var plan: BulkWriter.CSVPlan?
        defer { writer?.restore() }
        try CSVFile.read(reader, path: file.path) { view, line in
            defer { recordIndex += 1 }
            if recordIndex < detection.headerIndex { return true }
            guard let map = columns, let writer, let plan else {
                let map = try readHeader(view.strings, line: line)
                let bulk = try BulkWriter(store: store, module: module, fileBytes: file.size)
                columns = map
                writer = bulk
                plan = bulk.plan(keys: map.keys, idColumn: map.idColumn)
                return true
            }
            if view.isBlank {
                tally.skipped += 1
                return true
            }
            guard view.count == map.keys.count else {
                throw LoadError.raggedRow(path: file.path, line: line, expected: map.keys.count, found: view.count)
            }
            let cell = view[map.idColumn]
            if cell.isEmpty { throw LoadError.missingRecordID(path: file.path, at: .line(line), column: map.headers[map.idColumn]) }
            guard let id = ExportID.parse(cell) else {
                throw LoadError.invalidRecordID(path: file.path, at: .line(line), found: view.string(map.idColumn))
            }
            tally.count(item: try writer.write(row: view, plan: plan, id: id.digits, number: id.value))
            progress.advance(to: reader.bytesRead)
            return true
        }
        try writer?.finish()
        progress.finish(at: reader.bytesRead)
        return tally
    }

    /// Maps the header and records the custom columns it introduces in the catalogue.
    private func readHeader(_ headers: [String], line: Int) throws -> ColumnMap {
        let map = try ColumnMap.build(headers: headers, line: line, format: detection.format,
                                      catalogue: try store.catalogue(module), path: file.path)
        if !map.newFields.isEmpty {
            try FieldCatalogue.storeExportFields(store.db, module: module, fields: map.newFields)
            store.forgetCatalogues()
        }
        return map
    }
}
