/// A made-up person: the parts a Contact or a Lead is made of.
struct Person {
    var first: String
    var last: String
    var city: String
    var title: String
    var company: String

    init(_ generator: inout SplitMix64) {
        first = generator.pick(NamePools.firstNames)
        last = generator.pick(NamePools.lastNames)
        city = generator.pick(NamePools.cities)
        title = generator.pick(NamePools.titles)
        company = generator.pick(NamePools.companies)
    }

    /// An address on a reserved domain, in one of the shapes people use: `ana.silva`,
    /// `anasilva`, `asilva`, `ana_silva`. `suffix` (a number) keeps addresses apart when the
    /// generator makes more people than there are names.
    func email(_ generator: inout SplitMix64, suffix: String = "") -> String {
        let first = NamePools.emailWord(self.first), last = NamePools.emailWord(self.last)
        let local: String
        switch generator.below(10) {
        case 0..<5: local = "\(first).\(last)"
        case 5..<7: local = first + last
        case 7..<9: local = "\(first.prefix(1))\(last)"
        default: local = "\(first)_\(last)"
        }
        return "\(local)\(suffix)@\(generator.pick(NamePools.domains))"
    }

    /// `first.last@domain` exactly as the name is spelt, accents kept: what an internationalised
    /// address looks like, and what a Unicode-case near miss needs.
    func accentedEmail(domain: String, suffix: String = "") -> String {
        "\(first.lowercased()).\(last.lowercased())\(suffix)@\(domain)"
    }
}

/// Phone numbers that reach no one: the `555-01XX` block North American numbering keeps for
/// fiction, in several area codes, handed out once each.
struct FictionalPhones {
    private var pool: [String]

    init(_ generator: inout SplitMix64) {
        var numbers: [String] = []
        for area in ["206", "303", "312", "415", "512", "617", "646", "720"] {
            for line in 1...99 { numbers.append("+1 \(area) 555 01\(line < 10 ? "0" : "")\(line)") }
        }
        pool = generator.shuffled(numbers)
    }

    /// A number not handed out before.
    mutating func next() -> String { pool.removeLast() }

    /// A company switchboard, `555 0100`, which the pool never hands out: several legacy
    /// contacts may share one.
    static func switchboard(area: String) -> String { "+1 \(area) 555 0100" }
}
