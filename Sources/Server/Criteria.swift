import Storage

/// `criteria` of `GET /{Module}/search`: `(Field:equals:value)`, and `and`/`or` of parenthesised
/// criteria, e.g. `((Email:equals:a@b.c)or(Phone:equals:111))`. `\(`, `\)` and `\\` escape those
/// characters in a value. Only `equals` is modelled; any other operator is a 400 that says so.
enum Criteria {
    static func parse(_ text: String) throws(AnswerError) -> RecordQueries.Condition {
        var parser = Parser(characters: Array(text))
        let condition = try parser.expression()
        guard parser.atEnd else { throw parser.failure("unexpected text after the criteria") }
        return condition
    }

    private struct Parser {
        let characters: [Character]
        var position = 0

        var atEnd: Bool { position == characters.count }

        func failure(_ why: String) -> AnswerError {
            AnswerError(.invalidQuery("\(why) at character \(position + 1); the replica reads (Field:equals:value) and and/or of them"))
        }

        /// term (("and"|"or") term)*, one operator throughout (Zoho needs parentheses to mix them).
        mutating func expression() throws(AnswerError) -> RecordQueries.Condition {
            var terms = [try term()]
            var joiner: String?
            while !atEnd, characters[position] != ")" {
                let word = ["and", "or"].first { keyword in
                    String(characters[position..<min(characters.count, position + keyword.count)]).lowercased() == keyword
                }
                guard let word else { throw failure("expected and or or") }
                if let joiner, joiner != word { throw failure("and and or mixed without parentheses") }
                joiner = word
                position += word.count
                terms.append(try term())
            }
            guard terms.count > 1 else { return terms[0] }
            return joiner == "and" ? .all(terms) : .any(terms)
        }

        /// "(" expression ")" or "(" Field ":" operator ":" value ")".
        mutating func term() throws(AnswerError) -> RecordQueries.Condition {
            guard !atEnd, characters[position] == "(" else { throw failure("expected (") }
            position += 1
            let condition: RecordQueries.Condition
            if !atEnd, characters[position] == "(" {
                condition = try expression()
            } else {
                condition = try comparison()
            }
            guard !atEnd, characters[position] == ")" else { throw failure("expected )") }
            position += 1
            return condition
        }

        mutating func comparison() throws(AnswerError) -> RecordQueries.Condition {
            let field = name()
            guard !field.isEmpty, field.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw failure("expected a field API name")
            }
            guard !atEnd, characters[position] == ":" else { throw failure("expected :") }
            position += 1
            let op = name()
            guard !atEnd, characters[position] == ":" else { throw failure("expected :") }
            position += 1
            guard op == "equals" else { throw failure("the operator \(op) is not modelled (only equals)") }
            var value = ""
            while !atEnd, characters[position] != ")" {
                if characters[position] == "\\", position + 1 < characters.count { position += 1 }
                value.append(characters[position])
                position += 1
            }
            return .equals(field: field, value: value)
        }

        mutating func name() -> String {
            var text = ""
            while !atEnd, characters[position] != ":", characters[position] != ")", characters[position] != "(" {
                text.append(characters[position])
                position += 1
            }
            return text
        }
    }
}
