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
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw LoadError.unreadable(path: path, reason: error.localizedDescription)
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
