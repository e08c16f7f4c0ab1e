import Catalogue
import Formats

/// The real answers of `--compare FILE`, in request order: NDJSON with one Zoho envelope a line,
/// one JSON array of envelopes, or, for Bulk Write CSV inputs, Zoho's Bulk Write result file.
public enum RealAnswers {
    public static func load(path: String, for input: ReplayInput) throws -> [JSONValue] {
        if BulkWriteResult.isResultFile(path: path) { return try BulkWriteResult.answers(path: path, for: input) }
        return try load(path: path)
    }

    public static func load(path: String) throws -> [JSONValue] {
        let file = try InputBytes(path: path)
        if let document = try? JSON.parse(file.bytes), case .array(let answers) = document {
            for (index, answer) in answers.enumerated() where answer.objectValue == nil {
                throw ReplayError.unexpected(at: "\(path): \(JSONPath().index(index))", expected: "a Zoho response object", found: answer.typeName)
            }
            return answers
        }
        var answers: [JSONValue] = []
        for line in file.lines {
            let answer = try JSONInput.parse(line.bytes, at: "\(path):\(line.number)", singleLine: true)
            guard answer.objectValue != nil else {
                throw ReplayError.unexpected(at: "\(path):\(line.number)", expected: "a Zoho response object such as {\"data\":[…]}", found: answer.typeName)
            }
            answers.append(answer)
        }
        return answers
    }
}
