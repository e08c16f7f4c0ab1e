import Catalogue
import Formats
import Storage

/// Loads a UI export or a Bulk Read CSV into a module's live records, a bounded batch of rows
/// at a time, so memory stays flat whatever the file size. Every cell is kept exactly as exported: no
/// trimming, no case change, an empty cell is an empty string, multi-line values stay whole.
/// A row whose every cell is empty is no record: Excel writes such rows (`,,,,`) below the data
/// of a sheet it saves as CSV, and they are counted `skipped`.
struct CSVRecordsLoader {
    let file: InputFile
    let detection: Detection
    let module: Module
    let store: RecordStore

    /// Loads the rows; returns the tally and the file's SHA-256, hashed as the reader reads it.
    /// The header is read here; the rows after it are parsed on a second thread (`CSVRowParser`)
    /// while this one writes them to SQLite, the connection's only thread.
    func load(progress: inout ProgressMeter) throws -> (tally: Tally, sha256: String) {
        let reader = try CSVFile.open(file.path, delimiter: detection.delimiter)
        let digest = FileDigest.Running()
        reader.sourceObserver = { digest.update($0) }
        var recordIndex = 0
        var header: (map: ColumnMap, line: Int)?
        try CSVFile.read(reader, path: file.path) { view, line in
            defer { recordIndex += 1 }
            guard recordIndex == detection.headerIndex else { return true }
            header = (try readHeader(view.strings, line: line), line)
            return false
        }
        var tally = Tally()
        guard let map = header?.map else { return (tally, digest.hex) }
        let writer = try BulkWriter(store: store, module: module, fileBytes: file.size)
        defer { writer.restore() }
        let plan = writer.plan(keys: map.keys, idColumn: map.idColumn)
        let parser = ParseThread(CSVRowParser(reader: reader, plan: plan, path: file.path, headers: map.headers))
        var running = true
        defer { if running { parser.finish() } }
        let (columns, keys) = (map.keys.count, plan.keyBuffers)
        while let batch = parser.queue.take() {
            tally.skipped += batch.blankRows
            try batch.bytes.withUnsafeBufferPointer { bytes in
                try batch.cellOffsets.withUnsafeBufferPointer { offsets in
                    for (index, row) in batch.rows.enumerated() {
                        let view = CSVRecordView(base: bytes.baseAddress!, offsets: offsets.baseAddress! + index * 2 * columns, count: columns)
                        let written = BulkWriter.CSVRow(view: view, id: UnsafeBufferPointer(rebasing: bytes[row.id]), number: row.number,
                                                        json: UnsafeBufferPointer(rebasing: bytes[row.json]), bytes: bytes,
                                                        keyRanges: batch.keyRanges[index * keys..<(index + 1) * keys])
                        tally.count(item: try writer.write(row: written, plan: plan))
                    }
                }
            }
            progress.advance(to: batch.bytesRead)
            if let failure = batch.failure { throw failure }
        }
        parser.finish()
        running = false
        try writer.finish()
        progress.finish(at: reader.bytesRead)
        return (tally, digest.hex)
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
