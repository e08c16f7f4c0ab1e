import Foundation
import TestSupport
import Testing

/// The pages in a real browser: Chromium (headless) driven by Selenium through chromedriver, as a
/// person uses them, on `serve` over the sample org. Screenshots of each page land in
/// `.build/webpage-screenshots/` for a person to look at. Selenium lives in `.build/browser-venv`
/// (or `CRM_REPLICA_BROWSER_PYTHON` names a python that has it) and `chromedriver` on the PATH;
/// without them the test does not run, except under CI (`CI` set), where that is a failure.
@Suite("serve: web pages in a real browser", .serialized)
struct WebPagesBrowserTests {
    static let underCI = !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty
    static let python: URL? = {
        if let named = ProcessInfo.processInfo.environment["CRM_REPLICA_BROWSER_PYTHON"], !named.isEmpty { return URL(fileURLWithPath: named) }
        let python = CLI.packageRoot.appendingPathComponent(".build/browser-venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
    }()
    static let driver = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/chromedriver") }
    static let script = CLI.packageRoot.appendingPathComponent("Tests/ServerTests/Browser/webpage_browser.py")
    static let shots = CLI.packageRoot.appendingPathComponent(".build/webpage-screenshots")

    @Test(.enabled(if: (python != nil && driver) || underCI,
                   "no Selenium and chromedriver: .build/browser-venv (pip install selenium) and Debian's chromium-driver"))
    func aPersonFindsWhyEachSampleContactFailedInTheBrowser() async throws {
        let python = try #require(Self.python, "Selenium's python: .build/browser-venv or CRM_REPLICA_BROWSER_PYTHON")
        try #require(Self.driver, "chromedriver on the PATH (Debian's chromium-driver)")
        let workspace = try WebPagesTests.sampleOrg()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let run = try CLI.execute(python, [Self.script.path, server.baseURL.absoluteString, WebPagesTests.batch.path, Self.shots.path,
                                           "wei.meyer@example.net"], in: workspace.directory)
        try #require(run.status == 0, "\(run)")
        let read = try #require(run.stdout.split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }, "\(run)")
        let holders = read["holders"] as? [[String]] ?? []
        #expect(read["holder_headers"] as? [String] == ["Module", "Where", "Record id", "Field", "Stored value", "Match", "Counts"])
        #expect(holders.map { $0[2] } == [WebPagesTests.pointedAt, WebPagesTests.alsoHolds], "\(read)")
        #expect(holders.first?[4] == "Wei.Meyer@Example.Net" && holders.first?[5] == "case")
        #expect(read["rows"] as? Int == 100 && read["failed_rows"] as? Int == 38, "\(read)")
        #expect((read["summary"] as? String)?.contains("52 added, 10 updated, 38 failed") == true)
        let banner = read["row_why_banner"] as? String ?? ""
        #expect(banner.hasPrefix("DUPLICATE_DATA") || banner.hasPrefix("INVALID_DATA") || banner.hasPrefix("MULTIPLE_OR_MULTI_ERRORS"), "\(read)")
        #expect((read["row_why_title"] as? String)?.contains(read["row_email"] as? String ?? "?") == true, "\(read)")
        for page in ["why", "replay", "row-why"] {
            #expect(FileManager.default.fileExists(atPath: Self.shots.appendingPathComponent("\(page).png").path))
        }
    }
}
