import Catalogue
import Foundation

/// Words for how a near miss differs from the value given ("the stored value has a trailing
/// no-break space (U+00A0)"), so that advice can say what to clean and where. The engine's
/// `MatchKind` says which kind of near miss it is; this only names the characters.
struct Difference: Equatable {
    enum Side: Equatable { case stored, given, both }

    let words: String
    /// Which value holds the stray characters; nil when neither does (letter case, normalisation).
    let side: Side?

    init(given: String, stored: String, kind: MatchKind) {
        switch kind {
        case .exact, .case:
            words = kind.phrase
            side = nil
        case .whitespace, .invisible:
            let inStored = Self.strays(in: stored), inGiven = Self.strays(in: given)
            var parts: [String] = []
            if !inStored.isEmpty { parts.append("the stored value has \(Self.list(inStored))") }
            if !inGiven.isEmpty { parts.append("the value given has \(Self.list(inGiven))") }
            words = parts.isEmpty ? kind.phrase : parts.joined(separator: ", and ")
            side = inStored.isEmpty ? (inGiven.isEmpty ? nil : .given) : (inGiven.isEmpty ? .stored : .both)
        case .unicodeCase:
            let pair = zip(Array(stored), Array(given)).first { $0 != $1 && $0.lowercased() == $1.lowercased() }
            words = pair.map { "the stored value has `\($0.0)` where the value given has `\($0.1)`; the case-insensitive check folds ASCII letters only" }
                ?? kind.phrase
            side = nil
        case .confusable:
            let inStored = Matching.lookAlikes(in: stored), inGiven = Matching.lookAlikes(in: given)
            var parts: [String] = []
            if !inStored.isEmpty { parts.append("the stored value has \(Self.list(inStored))") }
            if !inGiven.isEmpty { parts.append("the value given has \(Self.list(inGiven))") }
            words = parts.isEmpty ? kind.phrase : parts.joined(separator: ", and ") + "; they look alike but are different characters"
            side = inStored.isEmpty ? (inGiven.isEmpty ? nil : .given) : (inGiven.isEmpty ? .stored : .both)
        case .normalization:
            let form: (String) -> String = { Self.isDecomposed($0) ? "decomposed (NFD: a letter, then a combining accent)" : "composed (NFC)" }
            words = Self.isDecomposed(stored) != Self.isDecomposed(given)
                ? "the stored value is written \(form(stored)) and the value given \(form(given)), which look the same but are different bytes"
                : "one of them uses Unicode compatibility characters (full-width letters, ligatures) that look like plain ones"
            side = nil
        }
    }

    /// A stray character: white space at either end, or one `Matching.visible` has to escape
    /// (zero-width characters, no-break spaces, controls) anywhere.
    struct Stray: Equatable {
        enum Position: String { case leading, trailing, inside }
        let scalar: Unicode.Scalar
        let position: Position
    }

    static func strays(in value: String) -> [Stray] {
        let scalars = Array(value.unicodeScalars)
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace }
        let leading = scalars.prefix(while: isSpace).count
        let trailing = leading == scalars.count ? 0 : scalars.reversed().prefix(while: isSpace).count
        return scalars.enumerated().compactMap { offset, scalar in
            let position: Stray.Position = offset < leading ? .leading : (offset >= scalars.count - trailing ? .trailing : .inside)
            let escaped = scalar != " " && Matching.visible(String(scalar)) != String(scalar)
            return position != .inside || escaped ? Stray(scalar: scalar, position: position) : nil
        }
    }

    static func list(_ strays: [Stray]) -> String {
        strays.map { stray in
            let place = stray.position == .inside ? " inside" : ""
            let noun = (stray.position == .inside ? "" : "\(stray.position.rawValue) ") + name(of: stray.scalar)
            let article = noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "\(article) \(noun) (U+\(String(format: "%04X", stray.scalar.value)))\(place)"
        }.joined(separator: ", ")
    }

    /// "`а` (U+0430 CYRILLIC SMALL LETTER A) where `a` is expected", for look-alikes.
    static func list(_ lookAlikes: [(character: Unicode.Scalar, looksLike: String)]) -> String {
        lookAlikes.map { character, looksLike in
            let name = character.properties.name.map { " \($0)" } ?? ""
            return "`\(character)` (U+\(String(format: "%04X", character.value))\(name)) where `\(looksLike)` is expected"
        }.joined(separator: ", ")
    }

    static func name(of scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x20: return "space"
        case 0x09: return "tab"
        case 0x0A: return "line feed"
        case 0x0D: return "carriage return"
        case 0xA0: return "no-break space"
        case 0x202F: return "narrow no-break space"
        case 0x3000: return "ideographic space"
        case 0x200B: return "zero-width space"
        case 0x200C: return "zero-width non-joiner"
        case 0x200D: return "zero-width joiner"
        case 0x2060: return "word joiner"
        case 0xFEFF: return "byte-order mark"
        case 0xAD: return "soft hyphen"
        default: return "invisible character"
        }
    }

    static func isDecomposed(_ value: String) -> Bool {
        !value.unicodeScalars.elementsEqual(value.precomposedStringWithCanonicalMapping.unicodeScalars)
    }
}
