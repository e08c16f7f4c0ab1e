import Catalogue
import Testing
@testable import Engine

struct VerdictTests {
    /// A verdict keeps its fields in a shared box; changing a copy must never change the
    /// original (value semantics), and equal fields make equal verdicts whatever the box.
    @Test func copiesAreIndependentValues() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "ann@example.com")
        let original = try #require(try org.run(.upsert, [person("ann@example.com")]).first)
        var copy = original
        #expect(copy == original)

        copy.outcome.recordID = "5725767000000100999"
        copy.candidates = []
        copy.notes.append(.unknownField(name: "Shoe_Size", module: .contacts))
        copy.written = nil
        copy.reason = "changed"
        #expect(original.outcome.recordID == "5725767000000100001")
        #expect(original.candidates.count == 1)
        #expect(original.notes.isEmpty)
        #expect(original.written != nil)
        #expect(original.reason.contains("so upsert updates it"))
        #expect(copy != original)

        let again = try #require(try Org.sameVerdict(of: original))
        #expect(again == original)
    }
}

extension Org {
    /// A verdict with `verdict`'s fields in a box of its own (a copy changed and changed back).
    static func sameVerdict(of verdict: Verdict) throws -> Verdict? {
        var copy = verdict
        let notes = copy.notes
        copy.notes = [.ignoredCheckField("x")]
        copy.notes = notes
        return copy
    }
}
