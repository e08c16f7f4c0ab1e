import Catalogue
import Formats
import Storage

/// What `Loader.load(paths:…)` says of one file, in the order of the paths.
public typealias FileOutcome = (path: String, result: Result<FileReport, any Error>)

extension Loader {
    /// Loads `paths` in order, as `load(path:options:)` would one after the other, and hands each
    /// file's outcome to `each`, which returns false to stop there. Each file still loads all or
    /// nothing, and what loaded before a failure stays loaded.
    ///
    /// One difference, for speed: consecutive API pages (`GET /{Module}` responses) of one module
    /// load as one run. Zoho pages a module 200 records at a time, so a million contacts come as
    /// 5,000 files; loaded one by one, every file paid a commit, and every page after the first
    /// was inserted into a table whose indexes were live (a page is too small next to the table
    /// to build them again): 4.1x the CSV path's time per row. A run is one transaction with a
    /// savepoint per page, one `BulkWriter` (indexes dropped once when the table starts empty,
    /// built once at the end) and a parse thread that reads, detects and parses the next pages
    /// while this one writes. What stays as it was: each page's `import_log` row and report, and
    /// a page that fails loads nothing while the pages before it stay loaded. What differs: the
    /// run commits at its end, so a process killed during a run keeps none of its pages, and the
    /// run's reports reach `each` once it has committed.
    ///
    /// `progress` gives the progress callback of a file loaded on its own (pages of a run have none).
    public func load(paths: [String], options: LoadOptions, progress: (String) -> ((Int, Int?) -> Void)?,
                     each: (FileOutcome) -> Bool) {
        var index = paths.startIndex
        while index < paths.endIndex {
            let path = paths[index]
            var fileOptions = options
            fileOptions.progress = progress(path)
            let file: InputFile
            let detection: Detection
            do {
                file = try InputFile(path: path)
                detection = try FormatDetection.detect(file, options: fileOptions)
            } catch {
                guard each((path, .failure(error))) else { return }
                index += 1
                continue
            }
            if detection.format == .apiJSON, let module = detection.module, index + 1 < paths.endIndex {
                let (outcomes, consumed) = loadPages(first: file, detection: detection, module: module,
                                                     following: Array(paths[(index + 1)...]), options: options)
                for outcome in outcomes { guard each(outcome) else { return } }
                index += 1 + consumed
            } else {
                guard each((path, Result { try load(file, detection: detection, options: fileOptions) })) else { return }
                index += 1
            }
        }
    }

    /// A run of API pages of `module`: `first`, then as many of `following` as are pages of the
    /// same module that parse without a problem (the first that is not ends the run, and the
    /// caller loads it on its own, so its error reads exactly as a file's own load gives it).
    /// Returns the run's outcomes and how many of `following` it used.
    private func loadPages(first: InputFile, detection: Detection, module: Module,
                           following: [String], options: LoadOptions) -> (outcomes: [FileOutcome], consumed: Int) {
        store.forgetCatalogues()
        var loaded: [FileOutcome] = []
        var failure: FileOutcome?
        var consumed = 0
        var parseOptions = options
        parseOptions.progress = nil
        do {
            try db.write {
                let writer = try BulkWriter(store: store, module: module, fileBytes: first.size)
                defer { writer.restore() }
                let parser = ParseThread(PageParser(paths: following, options: parseOptions, module: module))
                defer { parser.finish() }
                /// One page in a savepoint of its own: it loads all or nothing.
                func write(_ page: ParsedPage) {
                    do {
                        let tally = try db.write {
                            let tally = try writer.write(page.records)
                            try logLoad(page.file, detection: page.detection, tally: tally, sha256: page.sha256)
                            return tally
                        }
                        loaded.append((page.file.path, .success(report(page.file, detection: page.detection, tally: tally))))
                    } catch {
                        failure = (page.file.path, .failure(LoadError(error, path: page.file.path)))
                    }
                }
                do {
                    let records = try APIPageLoader.records(detection, file: first, module: module)
                    write(ParsedPage(file: first, detection: detection, records: records, sha256: try FileDigest.sha256(path: first.path)))
                } catch {
                    failure = (first.path, .failure(LoadError(error, path: first.path)))
                }
                while failure == nil, let page = parser.queue.take() {
                    consumed += 1
                    write(page)
                }
                try writer.finish()
            }
        } catch {
            // Building the indexes again or the commit failed: the whole run is rolled back.
            store.forgetCatalogues()
            let reason = "\(error); the run of \(loaded.count) API pages that starts with this file was one transaction and loaded nothing"
            return ([(first.path, .failure(LoadError.storage(path: first.path, reason: reason)))], consumed)
        }
        if failure != nil { store.forgetCatalogues() }
        return (loaded + (failure.map { [$0] } ?? []), consumed)
    }
}

/// An API page read, detected and parsed by the run's parse thread, ready to be written.
struct ParsedPage: Sendable {
    let file: InputFile
    let detection: Detection
    let records: JSONRecordBatch
    let sha256: String
}

/// The parse half of a run of API pages: each following file detected as `load` detects it, and,
/// while it is a page of the run's module whose records all check, its records made and the file
/// hashed. The first file that is anything else ends the run (the loader loads it on its own).
/// Memory: `ParseThread.queueCapacity` + 2 pages of at most 200 records (Zoho's page size).
///
/// `@unchecked Sendable`: its properties are set once and only read, by the parse thread.
final class PageParser: BatchProducer, @unchecked Sendable {
    private let paths: [String]
    private let options: LoadOptions
    private let module: Module

    init(paths: [String], options: LoadOptions, module: Module) {
        self.paths = paths
        self.options = options
        self.module = module
    }

    func produce(into queue: BoundedQueue<ParsedPage>) {
        for path in paths {
            guard let page = try? page(path) else { return }
            guard queue.put(page) else { return }
        }
    }

    /// The page at `path`, or nil when that file does not continue the run.
    private func page(_ path: String) throws -> ParsedPage? {
        let file = try InputFile(path: path)
        var detection = try FormatDetection.detect(file, options: options)
        guard detection.format == .apiJSON, detection.module == module else { return nil }
        let records = try APIPageLoader.records(detection, file: file, module: module)
        (detection.document, detection.records) = (nil, nil)
        return ParsedPage(file: file, detection: detection, records: records, sha256: try FileDigest.sha256(path: path))
    }
}
