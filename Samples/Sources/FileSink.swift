import Foundation

/// A file written front to back in chunks: a million-row export never sits in memory whole,
/// only the current chunk does.
final class FileSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let chunkSize = 1 << 20

    /// Creates (or empties) the file at `url`.
    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SampleError.cannotWrite(url.path)
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.chunkSize)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunkSize { try flush() }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Writes what is left and closes the file; the sink is not used afterwards.
    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes a small file in one go.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        let sink = try FileSink(url)
        try sink.write(bytes)
        try sink.close()
    }
}

public enum SampleError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String)
    case notEmpty(String)
    case invalidCount(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write \(path)"
        case .notEmpty(let path): return "\(path) is not empty; choose an empty directory or add --force to write over its files"
        case .invalidCount(let message): return message
        }
    }
}
