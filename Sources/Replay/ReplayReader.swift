import Catalogue
import Engine
import Storage

/// How to read inputs that do not say everything themselves (payloads and Bulk Write CSVs).
public struct ReadOptions: Sendable {
    /// Overrides the detection from extension and shape.
    public var format: ReplayFormat?
    public var module: Module?
    public var operation: WriteOperation = .upsert
    /// `METHOD PATH` for a bare payload, instead of module and operation.
    public var endpoint: String?
    /// Bulk Write's find_by: `id` or a unique field.
    public var findBy: String?
    /// Bulk Write's ignore_empty: empty cells leave the stored values alone.
    public var ignoreEmpty = false
    /// Rows per request when a Bulk Write CSV is cut into batches.
    public var batchLimit = 100

    public init() {}

    /// `--module` as the user typed it.
    public static func module(named name: String) throws -> Module {
        guard let module = Module(name: name) else { throw ReplayError.unknownModule(name) }
        return module
    }

    /// `--operation` as the user typed it.
    public static func operation(named name: String) throws -> WriteOperation {
        guard let operation = WriteOperation(rawValue: name.lowercased()) else { throw ReplayError.unknownOperation(name) }
        return operation
    }
}

/// Reads every input file into requests, in the order given. Reading checks syntax and shape;
/// `Replayer` then checks every body against its call before running anything.
public struct ReplayReader {
    public let options: ReadOptions
    /// The catalogue that Bulk Write CSV headers and find_by are checked against.
    public let store: RecordStore

    public init(options: ReadOptions, store: RecordStore) {
        self.options = options
        self.store = store
    }

    public func read(paths: [String]) throws -> ReplayInput {
        var input = ReplayInput()
        for path in paths { try read(path: path, bytes: nil, into: &input) }
        return input
    }

    /// One input held in memory (a page's pasted text or uploaded file, which is never written
    /// to disk), named `name` in errors and row labels as a path would be.
    public func read(name: String, bytes: [UInt8]) throws -> ReplayInput {
        var input = ReplayInput()
        try read(path: name, bytes: bytes, into: &input)
        return input
    }

    private func read(path: String, bytes: [UInt8]?, into input: inout ReplayInput) throws {
        let file = { try bytes.map { try InputBytes(name: path, bytes: $0) } ?? InputBytes(path: path) }
        let format = try options.format ?? ReplayFormat.fromExtension(path) ?? ReplayFormat.sniff(file())
        var module: Module?
        switch format {
        case .bulkCSV:
            guard let chosen = options.module else { throw ReplayError.moduleRequired(path: path) }
            module = chosen
            input.requests += try BulkWriteReader(path: path, module: chosen, options: options,
                                                  catalogue: try store.catalogue(chosen), bytes: bytes).read()
        case .payload:
            let request = try PayloadReader(options: options).read(file())
            module = Self.module(of: request.request)
            input.requests.append(request)
        case .log:
            input.requests += try RequestLogReader().read(file())
        case .har:
            let capture = try HARReader().read(file())
            input.requests += capture.requests
            input.ignored += capture.ignored
        }
        input.files.append(InputFileInfo(path: path, format: format, module: module))
    }

    private static func module(of request: APIRequest) -> Module? {
        switch Route.of(request) {
        case .records(let module, _, _), .delete(let module, _): return module
        case .related(let owner, _, _, _, _): return owner
        case .restore, .unsupported: return nil
        }
    }
}
