import Foundation

/// Zoho's time format: ISO 8601 with an offset (`2026-11-28T10:00:00+00:00`).
public enum Timestamps {
    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+00:00", year, month, day,
                      secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`, or a plain date / `YYYY-MM-DD HH:MM:SS`
    /// (taken as UTC). Nil for anything else: UI export date formats are not documented.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = days(fromCivil: year, month, day) * 86_400
        if bytes.count == 10 { return Date(timeIntervalSince1970: Double(seconds)) }
        guard bytes.count >= 19, bytes[10] == 0x54 || bytes[10] == 0x20, let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19) else { return nil }
        seconds += hour * 3600 + minute * 60 + second
        var rest = bytes[19...]
        if rest.first == 0x2E { rest = rest.drop(while: { $0 == 0x2E || ($0 >= 0x30 && $0 <= 0x39) }) }
        if rest.isEmpty || rest == [0x5A] { return Date(timeIntervalSince1970: Double(seconds)) }
        let offset = Array(rest)
        guard offset.count == 6, offset[0] == 0x2B || offset[0] == 0x2D, offset[3] == 0x3A,
              let oh = Int(String(decoding: offset[1..<3], as: UTF8.self)),
              let om = Int(String(decoding: offset[4..<6], as: UTF8.self)) else { return nil }
        let sign = offset[0] == 0x2B ? 1 : -1
        return Date(timeIntervalSince1970: Double(seconds - sign * (oh * 3600 + om * 60)))
    }

    // Howard Hinnant's civil-calendar algorithms: no Calendar or locale on the hot path.
    private static func civil(fromDays z: Int) -> (Int, Int, Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
