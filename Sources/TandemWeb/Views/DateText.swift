import Foundation

/// Dates as pages show them, always in UTC so every node renders the same text. Every
/// page uses these (one format for a day, one for a month); CSV files keep ISO 8601.
enum DateText {
    static func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC")!).locale(Locale(identifier: "en_US")))
    }

    static func minute(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC")!).locale(Locale(identifier: "en_US"))) + " UTC"
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// A report period's key as the store groups it ("2026-03" or "2026-03-14") as a table
    /// shows it: "Mar 2026" or "Mar 14, 2026" (the same text as `day`). Anything else is
    /// returned as it came.
    static func period(_ key: String) -> String {
        guard let (year, month, day) = parts(key) else { return key }
        return day.map { "\(months[month - 1]) \($0), \(year)" } ?? "\(months[month - 1]) \(year)"
    }

    private static func parts(_ key: String) -> (Int, Int, Int?)? {
        let pieces = key.split(separator: "-").map { Int($0) }
        guard pieces.count == 2 || pieces.count == 3, let year = pieces[0], let month = pieces[1], (1...12).contains(month) else { return nil }
        if pieces.count == 3 {
            guard let day = pieces[2], (1...31).contains(day) else { return nil }
            return (year, month, day)
        }
        return (year, month, nil)
    }
}
