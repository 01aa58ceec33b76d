import Foundation

/// Dates as pages show them, always in UTC so every node renders the same text.
enum DateText {
    static func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: TimeZone(identifier: "UTC")!).locale(Locale(identifier: "en_US")))
    }

    static func minute(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC")!).locale(Locale(identifier: "en_US"))) + " UTC"
    }
}
