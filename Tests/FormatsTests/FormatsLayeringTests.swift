import Foundation
import Testing

/// Formats sits below every other module so that any layer may read and write JSON and CSV
/// without pulling in the loader or the catalogue; an import of one of ours would undo that.
@Suite("Formats: layering")
struct FormatsLayeringTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func imports(under directory: String) throws -> [String: Set<String>] {
        let folder = root.appendingPathComponent(directory)
        var found: [String: Set<String>] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if let at = words.firstIndex(of: "import"), at + 1 < words.count, words[..<at].allSatisfy({ $0.hasPrefix("@") }) {
                    found[name, default: []].insert(String(words[at + 1]))
                }
            }
        }
        return found
    }

    @Test func formatsImportsNothingOfOurs() throws {
        let system: Set<String> = ["Glibc", "Musl", "Darwin", "Foundation", "OrderedCollections"]
        let imports = try Self.imports(under: "Sources/Formats")
        #expect(Set(imports.keys) == ["CSVReader.swift", "JSON.swift"])
        for (file, modules) in imports {
            #expect(modules.isSubset(of: system), "\(file) imports \(modules.subtracting(system).sorted())")
        }
    }

    @Test func replayReachesTheCSVReaderWithoutTheLoader() throws {
        let imports = try Self.imports(under: "Sources/Replay")
        #expect(imports["BulkWriteReader.swift"]?.contains("Formats") == true)
        #expect(imports["BulkWriteReader.swift"]?.contains("Ingest") == false)
    }
}
