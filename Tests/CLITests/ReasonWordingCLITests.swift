import Foundation
import Testing
import TestSupport

/// The evaluator returns typed reasons and `ReasonText.swift` words them: these pin, through the
/// binary, the sentences of the causes the sample replays do not reach, so moving the wording out
/// of the evaluator cannot change a byte of what `replay` and `why` print.
@Suite("CLI: reasons and why-not-counted wording")
struct ReasonWordingCLITests {
    static let asOf = "2026-11-28T00:00:00+00:00"

    /// Contacts (two holders of ann@, one in the recycle bin), a Lead, and the Leads preference
    /// that checks Email against Contacts.
    static func org() throws -> Workspace {
        let replica = try WhyCLITests.org()
        try replica.load("Leads_duplicate_check_preference.json", """
            {"duplicate_check_preference":{"type":"mapped_module_records","type_configurations":[{"field_mappings":\
            [{"current_field":{"api_name":"Email","id":"1"},"mapped_field":{"api_name":"Email","id":"2"}}],\
            "mapped_module":{"api_name":"Contacts","id":"3"}}]}}
            """)
        return replica
    }

    @Test func everyFailureReasonOfReplayIsWordedAsBefore() throws {
        let replica = try Self.org()
        let calls = try replica.write("calls.ndjson", """
            {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Email":"new@example.com"},{"Last_Name":"Ng","Email":"not-an-email"}]}}
            {"method":"PUT","path":"/crm/v8/Contacts","body":{"data":[{"id":"5725767000000199999","Last_Name":"Ng"}]}}
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"Ng","Email":"gone@example.com"}]}}
            {"method":"POST","path":"/crm/v8/Leads/upsert","body":{"data":[{"Last_Name":"Ng","Email":"ann@example.com"}]}}
            {"method":"POST","path":"/crm/v8/Leads","body":{"data":[{"Last_Name":"Ng","Email":"ann@example.com"}]}}

            """)
        let run = try replica.run(["replay", calls, "--as-of", Self.asOf, "--set", "recycle_bin_counts=true",
                                   "--set", "cross_module_on_upsert=true", "--set", "multi_match=oldest"])
        #expect(run.status == 0, "\(run.stderr)")
        let reasons = run.lines.filter { $0.hasPrefix("  $.data[") }
        #expect(reasons == [
            "  $.data[0]: MANDATORY_NOT_FOUND on Last_Name. Last_Name is mandatory for a new Contacts record and this record has none.",
            "  $.data[1]: INVALID_DATA on Email. Email `not-an-email` is not a valid email address.",
            "  $.data[0]: INVALID_DATA on id. No live Contacts record has the id 5725767000000199999, so update has nothing to update.",
            "  $.data[0]: DUPLICATE_DATA on Email. Email `gone@example.com` is held by the recycle-bin Contact 5725767000000100004 "
                + "(deleted 2026-11-20T09:00:00+00:00), and recycle_bin_counts is true; upsert cannot update that record, "
                + "so it reports DUPLICATE_DATA.",
            "  $.data[0]: DUPLICATE_DATA on Email. Email `ann@example.com` is held by the Contact 5725767000000100002, found through "
                + "the Leads duplicate-check preference (cross_module_on_upsert is true); upsert cannot update that record, "
                + "so it reports DUPLICATE_DATA.",
            "  $.data[0]: DUPLICATE_DATA on Email. The Leads duplicate-check preference (mapped_module_records) checks Email against "
                + "Contacts.Email, and Contact 5725767000000100002 holds `ann@example.com`.",
        ], "\(run.stdout)")
    }

    @Test func whyNotCountedIsWordedAsBefore() throws {
        let replica = try Self.org()
        func notCounted(_ arguments: [String]) throws -> [String] {
            let run = try replica.run(["why"] + arguments + ["--json", "--as-of", Self.asOf])
            #expect(run.status == 0, "\(run.stderr)")
            let matches = try #require(run.json?["matches"] as? [[String: Any]])
            return matches.compactMap { $0["why_not_counted"] as? String }
        }
        #expect(try notCounted(["gone@example.com"]) == ["in the recycle bin, and recycle_bin_counts is false"])
        #expect(try notCounted(["kim@example.com"]) == ["a Lead; a Contacts upsert does not check Leads"])
        let mapped = "a Contact found through the Leads duplicate-check preference; cross_module_on_upsert is false"
        #expect(try notCounted(["ann@example.com", "--module", "Leads"]) == [mapped, mapped])
    }

    /// The engine's lines once ran past 280 characters, sentences and all; 160 keeps a decision
    /// readable in one look.
    @Test func noEngineLineIsLongerThan160Characters() throws {
        let folder = CLI.packageRoot.appendingPathComponent("Sources/Engine")
        var long: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.count > 160 {
                long.append("\(name):\(index + 1)")
            }
        }
        #expect(long.isEmpty, "\(long)")
    }
}
