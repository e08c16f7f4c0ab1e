// libFuzzer target: the JSON parser (Sources/Formats/JSON.swift) and the request-body reader
// every replay input goes through (`RecordsRequest.parse`, Sources/Engine/API.swift).
//
// Properties checked on every input, beyond "no crash":
//  * a syntax error points at a line and column inside the input;
//  * a parsed value written compactly, and pretty-printed, parses back to the same value;
//  * `RecordsRequest.parse` either returns a request whose records are the input's `data`
//    objects, or throws `APIRequestError` naming a JSON path;
//  * `JSONCanonicalScanner` (the bulk loader's path) accepts only objects the parser accepts, and
//    writes exactly what `JSON.write` writes of the parsed value.

import Catalogue
import Engine
import Formats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    checkCanonicalScanner(input)
    let value: JSONValue
    do {
        // A low depth limit reaches the "too deep" path with small inputs.
        value = try JSON.parse(input, maxDepth: 32)
    } catch {
        let lines = 1 + input.filter { $0 == 0x0A }.count
        precondition(error.line >= 1 && error.line <= lines && error.column >= 1, "error position \(error) outside the input")
        return 0
    }
    let compact = JSON.write(value)
    do {
        let again = try JSON.parse(compact, maxDepth: 32)
        precondition(again == value, "compact round trip changed the value: \(compact)")
        precondition(JSON.write(again) == compact, "writing is not deterministic")
        let pretty = try JSON.parse(JSON.writePretty(value), maxDepth: 32)
        precondition(pretty == value, "pretty round trip changed the value")
    } catch {
        preconditionFailure("the writer produced JSON the parser rejects: \(error): \(compact)")
    }
    for operation in [WriteOperation.upsert, .insert, .update] {
        do {
            let request = try RecordsRequest.parse(value, module: .contacts, operation: operation)
            precondition(request.records.count == value["data"]?.arrayValue?.count, "records lost or invented")
        } catch let error as APIRequestError {
            guard case .malformedBody(let path, _) = error, path.hasPrefix("$") else {
                preconditionFailure("an error without a JSON path: \(error)")
            }
        } catch {
            preconditionFailure("RecordsRequest.parse threw \(error)")
        }
    }
    return 0
}

/// The scanner either declines `input` or agrees with the parser on it.
private func checkCanonicalScanner(_ input: UnsafeBufferPointer<UInt8>) {
    var scanner = JSONCanonicalScanner()
    var out: [UInt8] = []
    var members: [JSONCanonicalScanner.Member] = []
    scanner.begin(input)
    guard scanner.object(into: &out, members: &members), scanner.isAtEnd() else { return }
    guard case .object(let object)? = try? JSON.parse(input) else {
        preconditionFailure("the canonical scanner accepted what the parser rejects")
    }
    precondition(String(decoding: out, as: UTF8.self) == JSON.write(.object(object)), "the canonical scanner wrote other text than JSON.write")
    precondition(members.count == object.count, "the canonical scanner reported other members")
}
