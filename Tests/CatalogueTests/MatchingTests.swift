import Catalogue
import Testing

struct MatchingTests {
    /// Reports print values and reasons through `visible`: what a terminal would hide is escaped,
    /// surrounding spaces are shown by quotes, and plain text comes back as it was.
    @Test(arguments: [
        ("ann@example.com", "ann@example.com"),
        ("Record 5725767001 holds Email `ann@example.com`.", "Record 5725767001 holds Email `ann@example.com`."),
        (" ann@example.com", "\" ann@example.com\""),
        ("ann@example.com ", "\"ann@example.com \""),
        ("ann\u{200B}@example.com", "ann\\u200B@example.com"),
        ("ann@example.com\u{00A0}", "ann@example.com\\u00A0"),
        ("tab\there", "tab\\u0009here"),
        ("del\u{7F}", "del\\u007F"),
        ("Émile@example.com", "Émile@example.com"),
    ])
    func visibleEscapesWhatATerminalHides(value: String, shown: String) {
        #expect(Matching.visible(value) == shown)
    }

    /// NOCASE folds the 26 ASCII letters and nothing else: not `@` against a backtick (which
    /// differ by the same bit), not É against é; `sameBytes` is BINARY, not canonical equivalence.
    @Test func nocaseAndBinaryEqualityAreSQLites() {
        #expect(Matching.nocaseEqual("Ann@Example.COM", "ann@example.com"))
        #expect(!Matching.nocaseEqual("ann@x.com", "ann`x.com"))
        #expect(!Matching.nocaseEqual("[", "{"))
        #expect(!Matching.nocaseEqual("Émile", "émile"))
        #expect(!Matching.nocaseEqual("ann", "anne"))
        #expect(Matching.nocaseEqual("", ""))
        #expect(Matching.sameBytes("émile", "\u{e9}mile"))
        #expect(!Matching.sameBytes("\u{e9}mile", "e\u{301}mile"))
        #expect("\u{e9}mile" == "e\u{301}mile")
        #expect(!Matching.sameBytes("ann", "Ann"))
    }
}
