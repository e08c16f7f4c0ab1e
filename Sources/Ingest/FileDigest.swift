import Crypto
import Foundation

/// The SHA-256 of a file, read in chunks so that memory stays flat for any file size. The
/// import log keeps it, so a user can tell which exact export a replica was built from.
public enum FileDigest {
    static let chunkSize = 1 << 20

    public static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LoadError.unreadable(path: path, reason: "cannot open")
        }
        defer { try? handle.close() }
        let hasher = Running()
        do {
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                chunk.withUnsafeBytes { hasher.update($0) }
            }
        } catch {
            throw LoadError.unreadable(path: path, reason: error.localizedDescription)
        }
        return hasher.hex
    }

    /// A digest fed by whoever reads the file anyway (the CSV reader's `sourceObserver`), so a
    /// million-row export is read once, not once to hash and once to load: hashing it on its
    /// own was a tenth of a load's instructions, and a second pass over the disk.
    /// A class because the reader's observer closure and the loader share it.
    final class Running {
        private var hasher = SHA256()

        func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

        /// Lower-case hex, as `sha256sum` prints it.
        var hex: String {
            hasher.finalize().map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
        }
    }
}
