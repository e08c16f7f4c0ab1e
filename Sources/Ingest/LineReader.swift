import Foundation

/// Reads a file line by line in chunks, so an NDJSON file of any size uses flat memory.
/// Lines end with LF or CRLF; the last line needs no line break. A line is handed out as bytes
/// (not yet checked as UTF-8) with its 1-based number.
final class LineReader {
    static let chunkSize = 256 << 10

    private let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private(set) var lineNumber = 0
    /// Bytes handed out so far, line breaks included.
    private(set) var bytesConsumed = 0
    /// Fed every byte of the file as it is read, so the loader hashes it in the same pass.
    private let digest: FileDigest.Running?

    init(path: String, digest: FileDigest.Running? = nil) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LoadError.unreadable(path: path, reason: "cannot open")
        }
        self.path = path
        self.handle = handle
        self.digest = digest
    }

    deinit { try? handle.close() }

    /// The next line without its line break, or nil at the end of the file.
    func next() throws -> ArraySlice<UInt8>? {
        var scanned = 0   // bytes after `start` already searched for a line break
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                return take(upTo: newline, breakLength: 1)
            }
            scanned = buffer.count - start
            if atEnd {
                guard start < buffer.count else { return nil }
                return take(upTo: buffer.count, breakLength: 0)
            }
            try fill()
        }
    }

    private func take(upTo end: Int, breakLength: Int) -> ArraySlice<UInt8> {
        var line = buffer[start..<end]
        if line.last == 0x0D { line = line.dropLast() }
        bytesConsumed += end - start + breakLength
        start = end + breakLength
        lineNumber += 1
        return line
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: Self.chunkSize)
        } catch {
            throw LoadError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard let chunk, !chunk.isEmpty else {
            atEnd = true
            return
        }
        if let digest { chunk.withUnsafeBytes { digest.update($0) } }
        buffer.append(contentsOf: chunk)
    }
}
