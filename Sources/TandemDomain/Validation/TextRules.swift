import Foundation

/// What text Tandem stores: no control characters (PostgreSQL refuses NUL outright, and the
/// others only hide things from people reading a page), except line breaks and tabs in
/// long text that people write in paragraphs.
public enum TextRules {
    /// True when `text` holds a control character: C0 (but `\n`, `\r` and `\t` when
    /// `allowingLineBreaks`), DEL, C1, and the Unicode format controls that reorder or hide text.
    public static func hasControlCharacter(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { isControl($0, allowingLineBreaks: allowingLineBreaks) }
    }

    static func isControl(_ scalar: Unicode.Scalar, allowingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D, 0x09: return !allowingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidirectional overrides and isolates: they make text read differently from what it is.
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

/// When a reported event (a signup, a payment) may have happened: not before 2000 (no
/// program tracked anything then; a year-1 date is a bug on the sender's side) and not
/// more than a day ahead of our clock (clock skew, time zones), so a typo cannot put
/// revenue in the far future.
public enum EventTime {
    public static let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01T00:00:00Z

    public static func latest(now: Date) -> Date { now.addingTimeInterval(24 * 3600) }

    public static func isPlausible(_ date: Date, now: Date) -> Bool {
        date >= earliest && date <= latest(now: now)
    }

    public static func message(field: String) -> String {
        "`\(field)` must lie between 2000-01-01T00:00:00Z and one day after now."
    }
}
