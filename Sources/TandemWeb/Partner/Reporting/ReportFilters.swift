import Foundation
import TandemDomain
import TandemStore

/// The filters of both reporting tabs, read from the query string and checked. Bad
/// input never throws: it leaves `errors` for the page to show (status 400).
struct ReportFilters {
    enum Interval: String, CaseIterable { case day, month }

    /// A time bucket of the Overview: [start, end), labelled "2026-03" or "2026-03-14".
    struct Bucket: Equatable {
        let label: String
        let start: Date
        let end: Date
    }

    static let maxRangeDays = 3 * 366
    static let maxDailyDays = 400

    /// What the form shows back, as typed.
    var programText = ""
    var fromText = ""
    var toText = ""
    var statusText = ""
    var interval: Interval = .month

    /// The chosen partnership, or nil for every program of the partner.
    var membership: PartnerScope.Membership?
    /// Every partnership the report reads: the chosen one, or all of the partner's.
    var partnershipIDs: [UUID] = []
    /// Start of the first day and start of the day after the last, in UTC; nil means unbounded.
    var from: Date?
    var toExclusive: Date?
    var status: RewardStatus?
    var errors: [String] = []

    var isValid: Bool { errors.isEmpty }

    /// What the store's reward queries filter on.
    var rewardFilter: ReportQueries.RewardFilter {
        ReportQueries.RewardFilter(partnershipIDs: partnershipIDs, status: status, from: from, toExclusive: toExclusive)
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Reads the filters. With `defaultRange`, empty dates mean the last 12 months by month
    /// ending today (the Overview); without, empty dates mean no bound (the Rewards tab).
    static func parse(_ query: [String: String], scope: PartnerScope, now: Date, defaultRange: Bool) -> ReportFilters {
        var filters = ReportFilters()
        func value(_ name: String) -> String { (query[name] ?? "").trimmingCharacters(in: .whitespaces) }
        filters.programText = value("program")

        // Program: a partnership id of this partner, or empty for all.
        if filters.programText.isEmpty || filters.programText == "all" {
            filters.programText = ""
            filters.partnershipIDs = scope.memberships.compactMap(\.partnership.id)
        } else if let id = UUID(uuidString: filters.programText), let found = scope.memberships.first(where: { $0.partnership.id == id }) {
            filters.membership = found
            filters.partnershipIDs = [id]
        } else {
            filters.errors.append("That program is not one of yours. Choose a program from the list, or All programs.")
        }

        filters.readRange(query, now: now, defaultRange: defaultRange)
        return filters
    }

    /// Reads interval, status and dates (everything but the program), for the partner's
    /// reports and the vendor's alike.
    mutating func readRange(_ query: [String: String], now: Date, defaultRange: Bool) {
        func value(_ name: String) -> String { (query[name] ?? "").trimmingCharacters(in: .whitespaces) }
        fromText = value("from")
        toText = value("to")
        statusText = value("status")
        let utc = Self.utc, maxRangeDays = Self.maxRangeDays, maxDailyDays = Self.maxDailyDays
        func day(_ text: String) -> Date? { Self.day(text) }
        func text(_ day: Date) -> String { Self.text(day) }

        // Interval.
        let intervalText = value("interval")
        if intervalText.isEmpty {
            interval = .month
        } else if let chosen = Interval(rawValue: intervalText) {
            interval = chosen
        } else {
            errors.append("Group by must be day or month.")
        }

        // Status (used by the Rewards tab).
        if !statusText.isEmpty && statusText != "all" {
            if let chosen = RewardStatus(rawValue: statusText) {
                status = chosen
            } else {
                errors.append("Status must be one of: \(RewardStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        } else {
            statusText = ""
        }

        // Dates.
        let today = utc.startOfDay(for: now)
        var fromDay: Date?
        var toDay: Date?
        if !fromText.isEmpty {
            fromDay = day(fromText)
            if fromDay == nil { errors.append("“From” must be a date written YYYY-MM-DD.") }
        }
        if !toText.isEmpty {
            toDay = day(toText)
            if toDay == nil { errors.append("“To” must be a date written YYYY-MM-DD.") }
        }
        let datesParsed = (fromText.isEmpty || fromDay != nil) && (toText.isEmpty || toDay != nil)
        if defaultRange && datesParsed {
            if toDay == nil { toDay = today; toText = text(today) }
            if fromDay == nil {
                let monthStart = utc.date(from: utc.dateComponents([.year, .month], from: toDay!))!
                fromDay = utc.date(byAdding: .month, value: -11, to: monthStart)!
                fromText = text(fromDay!)
            }
        }
        if let fromDay, let toDay {
            let days = (utc.dateComponents([.day], from: fromDay, to: toDay).day ?? 0) + 1
            if fromDay > toDay {
                errors.append("“From” (\(fromText)) is after “To” (\(toText)). Choose a start date on or before the end date.")
            } else if days > maxRangeDays {
                errors.append("The date range is \(days) days; a report covers at most 3 years.")
            } else if defaultRange && interval == .day && days > maxDailyDays {
                errors.append("By day, a report covers at most \(maxDailyDays) days (this range is \(days)). Group by month, or choose a shorter range.")
            }
        }
        from = fromDay
        toExclusive = toDay.map { utc.date(byAdding: .day, value: 1, to: $0)! }
    }

    /// "2026-03-14" in UTC, strictly: real calendar dates only.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day), year >= 1970 else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = utc.date(from: components) else { return nil }
        let back = utc.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    static func text(_ day: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// The Overview's buckets from `from` to `toExclusive`: whole days, or calendar months
    /// (the first and last clipped to the range).
    var buckets: [Bucket] {
        guard isValid, let from, let toExclusive else { return [] }
        let calendar = Self.utc
        var result: [Bucket] = []
        var start = from
        while start < toExclusive {
            let next: Date
            let label: String
            switch interval {
            case .day:
                next = calendar.date(byAdding: .day, value: 1, to: start)!
                label = Self.text(start)
            case .month:
                let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: start))!
                next = min(calendar.date(byAdding: .month, value: 1, to: monthStart)!, toExclusive)
                label = String(Self.text(start).prefix(7))
            }
            result.append(Bucket(label: label, start: start, end: min(next, toExclusive)))
            start = next
        }
        return result
    }

    /// The filters as a query string, for the tab links and the export link.
    var queryString: String {
        var items: [(String, String)] = []
        if !programText.isEmpty { items.append(("program", programText)) }
        if !fromText.isEmpty { items.append(("from", fromText)) }
        if !toText.isEmpty { items.append(("to", toText)) }
        items.append(("interval", interval.rawValue))
        if !statusText.isEmpty { items.append(("status", statusText)) }
        return SiteRoute.query(items)
    }

    /// For the filter form's program select.
    struct ProgramOption {
        let value: String
        let label: String
        let selected: Bool
    }

    func programOptions(_ scope: PartnerScope) -> [ProgramOption] {
        [ProgramOption(value: "", label: "All programs", selected: programText.isEmpty)] + scope.memberships.map {
            let id = $0.partnership.id!.uuidString
            return ProgramOption(value: id.lowercased(), label: "\($0.program.name) (\($0.program.currencyCode))",
                                 selected: programText.caseInsensitiveCompare(id) == .orderedSame)
        }
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    var intervalOptions: [Option] {
        [Option(value: "month", label: "Month", selected: interval == .month), Option(value: "day", label: "Day", selected: interval == .day)]
    }

    var statusOptions: [Option] {
        [Option(value: "", label: "Any status", selected: statusText.isEmpty)] + RewardStatus.allCases.map {
            Option(value: $0.rawValue, label: $0.label, selected: statusText == $0.rawValue)
        }
    }
}
