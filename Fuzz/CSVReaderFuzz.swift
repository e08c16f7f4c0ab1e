// libFuzzer target: the CSV reader (Sources/Formats/CSVReader.swift, compiled into this binary).
//
// Properties checked on every input, beyond "no crash":
//  * the same bytes read with a tiny chunk size (buffer refills at every byte boundary) and with
//    the default one give the same records, or the same error at the same line;
//  * every field of a record that was read is valid UTF-8;
//  * an error's line is within the input's lines;
//  * what was read, written back with every field quoted, reads back the same (round trip).

struct CSVOutcome: Equatable {
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    var error: CSVError?
}

func readAll(_ bytes: [UInt8], chunkSize: Int, maxFieldBytes: Int) -> CSVOutcome {
    let reader = CSVReader(bytes: bytes, name: "fuzz", maxFieldBytes: maxFieldBytes, chunkSize: chunkSize)
    var outcome = CSVOutcome()
    do {
        try reader.forEachRecord { view, line in
            outcome.records.append((0..<view.count).map { Array(view[$0]) })
            outcome.lines.append(line)
            return true
        }
    } catch let error as CSVError {
        outcome.error = error
    } catch {
        fatalError("CSVReader threw something that is not a CSVError: \(error)")
    }
    return outcome
}

func quoted(_ records: [[[UInt8]]]) -> [UInt8] {
    var out: [UInt8] = []
    for record in records {
        for (index, field) in record.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in field {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(0x0A)
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    // A small field limit so that the "field too large" paths are reached too.
    let maxFieldBytes = 64
    let small = readAll(input, chunkSize: 1 + (input.first.map { Int($0) % 7 } ?? 0), maxFieldBytes: maxFieldBytes)
    let large = readAll(input, chunkSize: 256 << 10, maxFieldBytes: maxFieldBytes)
    if small.error == nil && large.error == nil {
        precondition(small == large, "chunk size changed the records: \(small) vs \(large)")
    } else {
        // Both reject the input. The field-size limit is also checked whenever the buffer is
        // refilled, so with small chunks a too-large field can be reported before a syntax error
        // further on (with the production chunk size, 256 KiB, only fields of over 256 KiB differ).
        precondition(small.error != nil && large.error != nil, "chunk size decided whether the input is valid")
        if small.error != large.error {
            let sizeError = [small.error, large.error].contains { $0?.message.contains("is larger than") == true }
            precondition(sizeError, "chunk size changed the error: \(String(describing: small.error)) vs \(String(describing: large.error))")
        }
        let shorter = min(small.records.count, large.records.count)
        precondition(small.records.prefix(shorter) == large.records.prefix(shorter), "chunk size changed the records before the error")
    }

    for record in large.records {
        for field in record { precondition(String(validating: field, as: UTF8.self) != nil, "a field that is not UTF-8 was accepted") }
        precondition(!record.isEmpty, "a record without fields")
    }
    let lineCount = 1 + input.filter { $0 == 0x0A || $0 == 0x0D }.count
    if let error = large.error {
        precondition(error.line >= 1 && error.line <= lineCount, "error line \(error.line) outside 1...\(lineCount)")
    }
    for line in large.lines { precondition(line >= 1 && line <= lineCount, "record line \(line) outside 1...\(lineCount)") }
    precondition(large.lines == large.lines.sorted(), "record lines out of order")

    if large.error == nil {
        let again = readAll(quoted(large.records), chunkSize: 3, maxFieldBytes: maxFieldBytes + 1)
        precondition(again.error == nil && again.records == large.records, "round trip changed the records")
    }
    return 0
}
