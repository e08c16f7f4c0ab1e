import Foundation
import TestSupport
import Testing

/// What users read points at what they have: the repository's docs, never the internal documents
/// the project was built from, and every `docs/…md#anchor` cited in the code or the README names a
/// heading that exists.
@Suite("Docs: references resolve")
struct DocumentationLinksTests {
    static let root = CLI.packageRoot

    static func files(under folder: String, ending: String) throws -> [URL] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.path.hasSuffix(ending) }
    }

    /// GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as `-`.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { $0 == " " ? "-" : ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : nil })
    }

    static func anchors(of document: URL) throws -> Set<String> {
        Set(try String(contentsOf: document, encoding: .utf8).components(separatedBy: "\n")
            .filter { $0.hasPrefix("#") }
            .map { anchor($0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)) })
    }

    @Test func noUserFacingTextNamesTheInternalDocuments() throws {
        let texts = try Self.files(under: "Sources", ending: ".swift") + Self.files(under: "docs", ending: ".md")
            + [Self.root.appendingPathComponent("README.md"), Self.root.appendingPathComponent("Samples/README.md")]
        #expect(texts.count > 50)
        for file in texts {
            let text = try String(contentsOf: file, encoding: .utf8)
            for name in ["SEMANTICS.md", "ZOHO-FACTS", "CLI.md", "shared/spec", "shared/notes"] {
                #expect(!text.contains(name), "\(file.lastPathComponent) names \(name)")
            }
        }
    }

    @Test func everyCitedAnchorExists() throws {
        let documents = ["docs/rules.md", "docs/zoho-facts.md"]
        var known: [String: Set<String>] = [:]
        for document in documents { known[document] = try Self.anchors(of: Self.root.appendingPathComponent(document)) }
        let citing = try Self.files(under: "Sources", ending: ".swift") + Self.files(under: "docs", ending: ".md")
            + [Self.root.appendingPathComponent("README.md")]
        var cited = 0
        for file in citing {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: #/(docs/)?(rules|zoho-facts)\.md#([a-z0-9_-]+)/#) {
                let document = "docs/\(match.2).md"
                #expect(known[document]?.contains(String(match.3)) == true, "\(file.lastPathComponent) cites \(document)#\(match.3)")
                cited += 1
            }
        }
        #expect(cited > 10)
    }

    /// The note a replay prints when a call leaves Email out of duplicate_check_fields cites the docs.
    @Test func theReplaysNoteCitesTheDocs() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", """
            Record Id,Last Name,Email
            5725767000000100001,Lee,ann@example.com

            """)
        let batch = try workspace.write("batch.json", #"{"data":[{"Last_Name":"A","Email":"ann@example.com"}],"duplicate_check_fields":["Phone"]}"#)
        let outcome = try workspace.run(["replay", batch, "--module", "Contacts"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("docs/rules.md#which-fields-are-checked"), "\(outcome.stdout)")
        #expect(!outcome.stdout.contains("ZOHO-FACTS"))
    }
}
