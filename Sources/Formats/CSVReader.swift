#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A malformed or unreadable CSV file: where (`path:line`) and what.
/// `line` is 1-based; 0 means the file itself could not be opened or read.
public struct CSVError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let line: Int
    public let message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path):\(line): \(message)" }
}

/// One record, borrowed from the reader's buffer. Valid only for the duration of the
/// `forEachRecord` callback that received it: copy out (`string(_:)`, `strings`,
/// `Array(view[i])`) anything that must outlive the call.
///
/// Every field has already been checked to be well-formed UTF-8, and quoted fields are
/// already unescaped (`""` → `"`), so `view[i]` is exactly the field's value.
public struct CSVRecordView {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let offsets: UnsafePointer<Int>   // start,end pairs into `base`
    public let count: Int

    /// A record over `count` fields whose start,end pairs are `offsets` into `base`: how a
    /// record copied out of the reader's buffer (to be written on another thread) is read again.
    @inlinable
    public init(base: UnsafePointer<UInt8>, offsets: UnsafePointer<Int>, count: Int) {
        self.base = base
        self.offsets = offsets
        self.count = count
    }

    /// The bytes of field `i` (0-based).
    @inlinable
    public subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "CSVRecordView: field index \(i) out of range 0..<\(count)")
        let start = offsets[2 &* i]
        return UnsafeBufferPointer(start: base + start, count: offsets[2 &* i &+ 1] &- start)
    }

    /// Field `i` as a String (the reader has already validated the UTF-8).
    @inlinable
    public func string(_ i: Int) -> String {
        String(decoding: self[i], as: UTF8.self)
    }

    /// True when every field is empty (`,,,,`): a spreadsheet's empty row, not a record.
    public var isBlank: Bool {
        for i in 0..<count where offsets[2 &* i &+ 1] != offsets[2 &* i] { return false }
        return true
    }

    /// All fields as Strings.
    public var strings: [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(string(i)) }
        return out
    }
}

/// The text encoding of a CSV input, told by its byte order mark.
public enum CSVTextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    /// Excel's "Unicode Text" (tab-separated, BOM `FF FE`).
    case utf16LE = "UTF-16 LE"
    case utf16BE = "UTF-16 BE"
}

/// A streaming RFC 4180 CSV reader working on bytes.
///
/// - One delimiter byte per reader (`,` unless told otherwise: Excel in a European locale writes
///   `;`, "Unicode Text" a tab); records end with LF, CRLF or a lone CR; the last record needs no newline.
/// - Quoted fields may contain the delimiter, doubled quotes (`""`) and CR/LF/CRLF, which are kept verbatim.
/// - A UTF-8 byte order mark at the start of the input is skipped. A UTF-16 one (`FF FE` or
///   `FE FF`) makes the reader convert the input to UTF-8 as it reads it, chunk by chunk, so
///   memory stays bounded; lone surrogates are errors like invalid UTF-8.
/// - Lines that are completely empty (no bytes at all before the line break) are not records,
///   wherever they occur; so a trailing newline never yields an empty record. Their lines still count.
/// - Nothing is trimmed: spaces around unquoted fields belong to the field.
/// - Malformed input (unterminated quote, a quote inside an unquoted field, anything but `,` or a
///   line break after a closing quote, invalid UTF-8, a field longer than `maxFieldBytes`) throws
///   `CSVError` with the line number. Field counts are not checked: that is the caller's job.
///
/// Memory stays bounded: the input is read in chunks (256 KiB) and the buffer only holds the
/// current record, growing only when a single record is larger than the buffer.
/// Not thread-safe; use one reader per thread.
public final class CSVReader {
    private enum State: UInt8 { case bom, recordStart, fieldStart, unquoted, quoted, quoteSeen, finished }

    private let name: String
    private let maxFieldBytes: Int
    private let chunkSize: Int
    /// The field separator: one byte, so the hot loop compares against a constant, not a set.
    public let delimiter: UInt8
    /// Known once the first bytes are read (`forEachRecord`); UTF-8 until then.
    public private(set) var encoding = CSVTextEncoding.utf8
    private var encodingKnown = false
    /// Source bytes read but not handed out yet: the sniffed first bytes of a UTF-8 input, or
    /// converted UTF-8 of a UTF-16 one.
    private var staged: [UInt8] = []
    private var stagedPos = 0
    /// The tail of a UTF-16 chunk that ends inside a code unit or a surrogate pair.
    private var carry: [UInt8] = []
    /// Bad UTF-16 met while converting: thrown once the text before it has been parsed, so the
    /// error names the line it is on.
    private var badUTF16: String?

    // Source: a file descriptor, or an in-memory copy.
    private let fd: Int32
    private let memory: [UInt8]
    private var memoryPos = 0

    // The read buffer: valid bytes are [0, end).
    private var buf: UnsafeMutablePointer<UInt8>
    private var cap: Int
    private var end = 0
    private var eof = false

    // Field offsets (start,end pairs) of the current record, reused across records.
    private var offs: UnsafeMutablePointer<Int>
    private var offCap: Int   // in Ints

    // Parser state kept between calls to forEachRecord (early stop, then continue).
    private var state: State = .bom
    private var pos = 0
    private var line = 1
    private var skipLF = false
    private var failure: CSVError?

    /// Bytes consumed from the source so far (a BOM included).
    public private(set) var bytesRead = 0
    /// Size of the input, when known (regular files and in-memory data).
    public let totalBytes: Int?
    /// Sees every source byte once, in order, as it is read (before any UTF-16 conversion), so a
    /// caller can hash the file in the same pass instead of reading it twice.
    public var sourceObserver: ((UnsafeRawBufferPointer) -> Void)?
    /// Current size of the read buffer (tests check that it stays bounded).
    internal var bufferCapacity: Int { cap }

    /// Opens `path` for reading. Throws `CSVError` (line 0) if it cannot be opened or is a directory.
    public convenience init(path: String, delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 64 << 20) throws {
        try self.init(path: path, delimiter: delimiter, maxFieldBytes: maxFieldBytes, chunkSize: 256 << 10)
    }

    /// Reads from an in-memory copy of `bytes`; `name` stands for the path in errors.
    public convenience init(bytes: [UInt8], name: String = "<memory>", delimiter: UInt8 = UInt8(ascii: ","),
                            maxFieldBytes: Int = 64 << 20) {
        self.init(bytes: bytes, name: name, delimiter: delimiter, maxFieldBytes: maxFieldBytes, chunkSize: 256 << 10)
    }

    /// `chunkSize` is the most bytes read from the source at once (tests use tiny values).
    internal convenience init(path: String, delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 64 << 20,
                              chunkSize: Int) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw CSVError(path: path, line: 0, message: "cannot open: \(CSVReader.errnoText())")
        }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let message = "cannot stat: \(CSVReader.errnoText())"
            close(fd)
            throw CSVError(path: path, line: 0, message: message)
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            close(fd)
            throw CSVError(path: path, line: 0, message: "is a directory")
        }
        self.init(fd: fd, memory: [], name: path, delimiter: delimiter, maxFieldBytes: maxFieldBytes, chunkSize: chunkSize,
                  totalBytes: kind == S_IFREG ? Int(info.st_size) : nil)
    }

    internal convenience init(bytes: [UInt8], name: String = "<memory>", delimiter: UInt8 = UInt8(ascii: ","),
                              maxFieldBytes: Int = 64 << 20, chunkSize: Int) {
        self.init(fd: -1, memory: bytes, name: name, delimiter: delimiter, maxFieldBytes: maxFieldBytes, chunkSize: chunkSize,
                  totalBytes: bytes.count)
    }

    private init(fd: Int32, memory: [UInt8], name: String, delimiter: UInt8, maxFieldBytes: Int, chunkSize: Int, totalBytes: Int?) {
        precondition(maxFieldBytes > 0, "maxFieldBytes must be positive")
        precondition(chunkSize > 0, "chunkSize must be positive")
        precondition(![0x22, 0x0A, 0x0D].contains(delimiter), "the delimiter cannot be a quote or a line break")
        self.delimiter = delimiter
        self.fd = fd
        self.memory = memory
        self.name = name
        self.maxFieldBytes = maxFieldBytes
        self.chunkSize = chunkSize
        self.totalBytes = totalBytes
        cap = max(2 * chunkSize, 64)
        buf = .allocate(capacity: cap)
        offCap = 64
        offs = .allocate(capacity: offCap)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buf.deallocate()
        offs.deallocate()
    }

    /// The first record split into fields (a header line), or none for an empty file: what
    /// separator detection and header checks read without going through the rows.
    public func firstRecord() throws -> [String] {
        var first: [String] = []
        try forEachRecord { view, _ in
            first = view.strings
            return false
        }
        return first
    }

    /// Calls `body` once per record with the fields as byte slices valid only during the call,
    /// and the 1-based physical line number where the record starts. Return false to stop early;
    /// a later call carries on with the next record. Throws `CSVError` on malformed input
    /// (and keeps throwing it on later calls), or whatever `body` throws.
    public func forEachRecord(_ body: (_ fields: CSVRecordView, _ line: Int) throws -> Bool) throws {
        if let failure { throw failure }

        let quote: UInt8 = 0x22, comma = delimiter, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        // Bytes above every special byte are plain content: one comparison for most bytes.
        let top = max(quote, comma, cr)

        var b = buf
        var e = end
        var p = pos
        var state = self.state
        var line = self.line
        var skipLF = self.skipLF
        var recStart = p      // start of the current record in b
        var recLine = line    // line where it starts
        var nFields = 0       // fields completed in the current record
        var fStart = 0        // start of the current field's value in b
        var fieldLine = line  // line where the current field starts
        var w = 0             // write position while unescaping a quoted field in place
        var hi: UInt8 = 0     // OR of the current field's bytes: >= 0x80 means UTF-8 must be checked
        var recordDone = false

        defer {
            self.pos = p
            self.state = state
            self.line = line
            self.skipLF = skipLF
        }

        outer: while true {
            switch state {
            case .finished:
                return

            case .bom:
                if e - p < 3 && !eof { break }   // need more bytes
                if e - p >= 3 && b[p] == 0xEF && b[p + 1] == 0xBB && b[p + 2] == 0xBF { p += 3 }
                state = .recordStart
                continue outer

            case .recordStart:
                while p < e {
                    let c = b[p]
                    if c == lf {
                        p += 1
                        if skipLF { skipLF = false } else { line += 1 }
                        continue
                    }
                    skipLF = false
                    if c == cr {   // blank line ended by CR or CRLF
                        p += 1
                        line += 1
                        skipLF = true
                        continue
                    }
                    recStart = p
                    recLine = line
                    nFields = 0
                    state = .fieldStart
                    continue outer
                }

            case .fieldStart:
                if p == e { break }
                let c = b[p]
                fieldLine = line
                hi = 0
                if c == quote {
                    p += 1
                    fStart = p
                    w = p
                    state = .quoted
                    continue outer
                }
                if c == comma || c == lf || c == cr {
                    try addField(p, p, nFields, 0, fieldLine)
                    nFields += 1
                    p += 1
                    if c == comma { continue outer }
                    line += 1
                    skipLF = c == cr
                    state = .recordStart
                    recordDone = true
                    break
                }
                fStart = p
                state = .unquoted
                fallthrough

            case .unquoted:
                while p < e {
                    let c = b[p]
                    if c > top || (c != comma && c != quote && c != lf && c != cr) {
                        hi |= c
                        p += 1
                        continue
                    }
                    if c == quote { throw fail(line, "unexpected quote in unquoted field \(nFields + 1)") }
                    try addField(fStart, p, nFields, hi, fieldLine)
                    nFields += 1
                    p += 1
                    if c == comma {
                        state = .fieldStart
                        continue outer
                    }
                    line += 1
                    skipLF = c == cr
                    state = .recordStart
                    recordDone = true
                    break
                }

            case .quoted:
                while p < e {
                    let c = b[p]
                    if c == quote {
                        p += 1
                        state = .quoteSeen
                        continue outer
                    }
                    if c <= cr {
                        // Count physical lines; an LF right after a CR is the same line break.
                        // b[w - 1] is the previous content byte, or the opening quote.
                        if c == cr || (c == lf && b[w - 1] != cr) { line += 1 }
                    }
                    hi |= c
                    b[w] = c
                    w += 1
                    p += 1
                }

            case .quoteSeen:
                if p == e { break }
                let c = b[p]
                if c == quote {   // doubled quote: a literal "
                    b[w] = quote
                    w += 1
                    p += 1
                    state = .quoted
                    continue outer
                }
                if c == comma || c == lf || c == cr {
                    try addField(fStart, w, nFields, hi, fieldLine)
                    nFields += 1
                    p += 1
                    if c == comma {
                        state = .fieldStart
                        continue outer
                    }
                    line += 1
                    skipLF = c == cr
                    state = .recordStart
                    recordDone = true
                    break
                }
                throw fail(line, "unexpected character after closing quote in field \(nFields + 1)")
            }

            if recordDone {
                recordDone = false
                let view = CSVRecordView(base: b, offsets: offs, count: nFields)
                if try !body(view, recLine) { return }
                continue outer
            }

            // Out of buffered bytes (or the BOM check needs more).
            if !eof {
                // Keep only the record in progress, moved to the front of the buffer.
                let keep = (state == .recordStart || state == .bom) ? p : recStart
                if keep > 0 {
                    let live = e - keep
                    if live > 0 { memmove(b, b + keep, live) }
                    e = live
                    p -= keep; w -= keep; fStart -= keep; recStart -= keep
                    if state != .recordStart && state != .bom {
                        for i in 0..<(2 * nFields) { offs[i] -= keep }
                    }
                }
                if e == cap {
                    // A single record fills the buffer: grow it, unless the field in progress is
                    // already too large.
                    let fieldSoFar: Int
                    switch state {
                    case .unquoted: fieldSoFar = p - fStart
                    case .quoted, .quoteSeen: fieldSoFar = w - fStart
                    default: fieldSoFar = 0
                    }
                    if fieldSoFar > maxFieldBytes { throw tooLarge(fieldLine, nFields) }
                    let newCap = cap * 2
                    let newBuf = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
                    newBuf.update(from: b, count: e)
                    b.deallocate()
                    b = newBuf
                    buf = newBuf
                    cap = newCap
                }
                let n = try readSource(into: b + e, count: min(chunkSize, cap - e), line: line)
                if n == 0 {
                    eof = true
                } else {
                    e += n
                }
                end = e
                continue outer
            }

            // End of input.
            switch state {
            case .bom, .recordStart, .finished:
                state = .finished
                return
            case .fieldStart:   // after a trailing comma
                try addField(p, p, nFields, 0, fieldLine)
            case .unquoted:
                try addField(fStart, p, nFields, hi, fieldLine)
            case .quoteSeen:
                try addField(fStart, w, nFields, hi, fieldLine)
            case .quoted:
                throw fail(fieldLine, "unterminated quoted field starting at line \(fieldLine)")
            }
            nFields += 1
            state = .recordStart
            recordDone = true
            continue outer
        }
    }

    // MARK: - Helpers

    /// Records field `index` as b[start..<end] and checks its size and UTF-8.
    @inline(__always)
    private func addField(_ start: Int, _ end: Int, _ index: Int, _ hi: UInt8, _ fieldLine: Int) throws {
        if 2 * index + 2 > offCap { growOffsets() }
        offs[2 * index] = start
        offs[2 * index + 1] = end
        if end - start > maxFieldBytes { throw tooLarge(fieldLine, index) }
        if hi >= 0x80 && !CSVReader.isValidUTF8(UnsafeBufferPointer(start: buf + start, count: end - start)) {
            throw fail(fieldLine, "invalid UTF-8 in field \(index + 1)")
        }
    }

    @inline(never)
    private func growOffsets() {
        let newCap = offCap * 2
        let new = UnsafeMutablePointer<Int>.allocate(capacity: newCap)
        new.update(from: offs, count: offCap)
        offs.deallocate()
        offs = new
        offCap = newCap
    }

    @inline(never)
    private func tooLarge(_ line: Int, _ index: Int) -> CSVError {
        fail(line, "field \(index + 1) is larger than \(maxFieldBytes) bytes")
    }

    @inline(never)
    private func fail(_ line: Int, _ message: String) -> CSVError {
        let error = CSVError(path: name, line: line, message: message)
        failure = error
        return error
    }

    /// Fills `dest` with up to `count` bytes of UTF-8 (0 at the end of the input), converting
    /// UTF-16 input, and counts the source bytes consumed in `bytesRead`.
    private func readSource(into dest: UnsafeMutablePointer<UInt8>, count: Int, line: Int) throws -> Int {
        if !encodingKnown { try sniffEncoding(line: line) }
        while stagedPos == staged.count {
            staged.removeAll(keepingCapacity: true)
            stagedPos = 0
            guard encoding != .utf8 else {
                let n = try readRaw(into: dest, count: count, line: line)
                bytesRead += n
                return n
            }
            if let badUTF16 { throw fail(line, badUTF16) }
            guard try decodeUTF16Chunk(line: line) else { return 0 }
        }
        let n = min(count, staged.count - stagedPos)
        staged.withUnsafeBufferPointer { dest.update(from: $0.baseAddress! + stagedPos, count: n) }
        stagedPos += n
        return n
    }

    /// Reads the first two bytes: a UTF-16 byte order mark is consumed, anything else is staged
    /// to be handed out as the start of the input.
    private func sniffEncoding(line: Int) throws {
        encodingKnown = true
        var head: [UInt8] = [0, 0]
        var got = 0
        while got < 2 {
            let n = try head.withUnsafeMutableBufferPointer { try readRaw(into: $0.baseAddress! + got, count: 2 - got, line: line) }
            if n == 0 { break }
            got += n
        }
        bytesRead += got
        switch (got, head[0], head[1]) {
        case (2, 0xFF, 0xFE): encoding = .utf16LE
        case (2, 0xFE, 0xFF): encoding = .utf16BE
        default: staged = Array(head.prefix(got))
        }
    }

    /// Converts the next chunk of UTF-16 input into `staged`; false at the end of the input.
    private func decodeUTF16Chunk(line: Int) throws -> Bool {
        var raw = carry + [UInt8](repeating: 0, count: chunkSize)
        let n = try raw.withUnsafeMutableBufferPointer { try readRaw(into: $0.baseAddress! + carry.count, count: chunkSize, line: line) }
        bytesRead += n
        let available = carry.count + n
        carry = []
        if n == 0 {
            if available > 0 { throw fail(line, "the file ends inside a UTF-16 character") }
            return false
        }
        func bad(_ message: String) -> Bool {
            badUTF16 = message
            return true
        }
        let littleEndian = encoding == .utf16LE
        staged.reserveCapacity(available / 2 * 3)
        var i = 0
        func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 : UInt32(raw[at]) << 8 | UInt32(raw[at + 1])
        }
        while i + 1 < available {
            var scalar = unit(i)
            if scalar >= 0xD800 && scalar < 0xE000 {
                guard scalar < 0xDC00 else { return bad("invalid UTF-16 (a lone low surrogate)") }
                guard i + 3 < available else { break }   // the pair continues in the next chunk
                let low = unit(i + 2)
                guard low >= 0xDC00 && low < 0xE000 else { return bad("invalid UTF-16 (a lone high surrogate)") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                i += 2
            }
            i += 2
            switch scalar {
            case ..<0x80:
                staged.append(UInt8(scalar))
            case ..<0x800:
                staged.append(UInt8(0xC0 | scalar >> 6)); staged.append(UInt8(0x80 | scalar & 0x3F))
            case ..<0x10000:
                staged.append(UInt8(0xE0 | scalar >> 12)); staged.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                staged.append(UInt8(0x80 | scalar & 0x3F))
            default:
                staged.append(UInt8(0xF0 | scalar >> 18)); staged.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                staged.append(UInt8(0x80 | scalar >> 6 & 0x3F)); staged.append(UInt8(0x80 | scalar & 0x3F))
            }
        }
        carry = Array(raw[i..<available])
        return true
    }

    private func readRaw(into dest: UnsafeMutablePointer<UInt8>, count: Int, line: Int) throws -> Int {
        let n = try readSourceBytes(into: dest, count: count, line: line)
        if n > 0, let sourceObserver { sourceObserver(UnsafeRawBufferPointer(start: dest, count: n)) }
        return n
    }

    private func readSourceBytes(into dest: UnsafeMutablePointer<UInt8>, count: Int, line: Int) throws -> Int {
        if fd >= 0 {
            while true {
                let n = read(fd, dest, count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw fail(line, "read error: \(CSVReader.errnoText())")
            }
        }
        let n = min(count, memory.count - memoryPos)
        if n > 0 {
            memory.withUnsafeBufferPointer { src in
                dest.update(from: src.baseAddress! + memoryPos, count: n)
            }
            memoryPos += n
        }
        return n
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    /// Well-formed UTF-8 per the Unicode standard (table 3-7): no overlongs, surrogates,
    /// code points above U+10FFFF or truncated sequences.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = p[i]
            if b0 < 0x80 { i += 1; continue }
            if b0 < 0xC2 { return false }
            if b0 < 0xE0 {
                guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if b0 < 0xF0 {
                guard i + 2 < n else { return false }
                let b1 = p[i + 1]
                let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                let up: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                guard b1 >= lo, b1 <= up, p[i + 2] & 0xC0 == 0x80 else { return false }
                i += 3
            } else if b0 < 0xF5 {
                guard i + 3 < n else { return false }
                let b1 = p[i + 1]
                let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
                let up: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
                guard b1 >= lo, b1 <= up, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }
}
