import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// `GET /api/v1/partner/stats`: the five numbers over time, as the Performance tab shows
/// them, read from the daily rollups.
struct PartnerStatsAPI {
    let env: WebEnvironment
    let partnerships: @Sendable (UUID, String?) async throws -> [Partnership]

    /// The five numbers of one period (`period` set) or of the whole range (`period` left out).
    struct Figures: Encodable {
        var period: String?
        let clicks: Int64
        let referred: Int64
        let sold: Int64
        let paid: Int64
        let pending: Int64
    }

    struct StatsDTO: Encodable {
        let object = "stats"
        @NullEncoded var program: String?
        let currency: String
        let interval: String
        let from: String
        let to: String
        let totals: Figures
        let series: [Figures]
    }

    static let intervalParameter = QueryParameter.oneOf("interval", PartnerStatsQueries.Period.self, "`month` (default) or `day`.")
    static let fromParameter = dayParameter(
        "from", "First day, `2026-01-01`; default: 11 months before `to`'s month (month) or 29 days before `to` (day)."
    )
    static let toParameter = dayParameter("to", "Last day, `2026-11-30`; default today (UTC).")

    static func dayParameter(_ name: String, _ description: String) -> QueryParameter<Date> {
        QueryParameter(
            name: name, description: description, required: false, schema: { OpenAPIDocument.string(format: "date") }, blankIsAbsent: false,
            parse: { try Self.day($0, field: name) }, refusal: "`\(name)` must be a day like 2026-11-21, from 2000-01-01 on."
        )
    }

    /// The longest series one request may ask for.
    static let maxDays = 731
    static let maxMonths = 120

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("partner/stats") { request, context in try await stats(request, context) }
    }

    func stats(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let programSlug = try QueryFilters.program.read(request)
        let interval = try Self.intervalParameter.read(request) ?? .month
        let today = Self.startOfDay(env.now())
        let to = try Self.toParameter.read(request) ?? today
        let defaultFrom = interval == .month
            ? Self.calendar.date(byAdding: .month, value: -11, to: Self.startOfMonth(to))!
            : Self.calendar.date(byAdding: .day, value: -29, to: to)!
        let from = try Self.fromParameter.read(request) ?? defaultFrom
        guard from <= to else { throw APIError.invalid("from", "`from` must be on or before `to`.") }
        let days = Self.calendar.dateComponents([.day], from: from, to: to).day ?? 0
        let months = Self.calendar.dateComponents([.month], from: Self.startOfMonth(from), to: Self.startOfMonth(to)).month ?? 0
        if interval == .day && days >= Self.maxDays {
            throw APIError.invalid("from", "A daily series covers at most \(Self.maxDays) days; narrow `from`–`to` or use interval=month.")
        }
        if interval == .month && months >= Self.maxMonths {
            throw APIError.invalid("from", "A monthly series covers at most \(Self.maxMonths) months; narrow `from`–`to`.")
        }

        let mine = try await partnerships(accountID, programSlug)
        if programSlug != nil && mine.isEmpty { throw APIError.notFound("program") }
        let currencies = Set(mine.map(\.program.currencyCode))
        guard currencies.count <= 1 else {
            throw APIError(status: .badRequest, code: "several_currencies",
                           message: "Your programs pay in \(currencies.sorted().joined(separator: ", ")); ask for one `program` at a time.", field: "program")
        }
        let toExclusive = Self.calendar.date(byAdding: .day, value: 1, to: to)!
        let byPeriod = try await PartnerStatsQueries.series(
            partnershipIDs: mine.compactMap(\.id), fromDay: ClickDay.string(from), toDay: ClickDay.string(toExclusive), period: interval, on: env.store.sql
        )
        var series: [Figures] = []
        var cursor = interval == .month ? Self.startOfMonth(from) : from
        var total = PartnerStatsQueries.Totals()
        while cursor <= to {
            let key = interval.key(ofDay: ClickDay.string(cursor))
            let figures = byPeriod[key] ?? PartnerStatsQueries.Totals()
            series.append(Figures(figures, period: key))
            total.clicks = try total.clicks.addingChecked(figures.clicks)
            total.referred = try total.referred.addingChecked(figures.referred)
            total.sold = try total.sold.addingChecked(figures.sold)
            total.earned = try total.earned.addingChecked(figures.earned)
            total.pending = try total.pending.addingChecked(figures.pending)
            cursor = Self.calendar.date(byAdding: interval == .month ? .month : .day, value: 1, to: cursor)!
        }
        return try APIJSON.response(StatsDTO(
            program: programSlug, currency: currencies.first ?? "USD", interval: interval.rawValue,
            from: ClickDay.string(from), to: ClickDay.string(to), totals: Figures(total), series: series
        ))
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    static func startOfMonth(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
    }

    /// "2026-11-21" as the start of that UTC day; from 2000-01-01 on.
    static func day(_ text: String, field: String) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day else {
            throw APIError.invalid(field, "`\(field)` must be a day like 2026-11-21, from 2000-01-01 on.")
        }
        return date
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension PartnerStatsAPI.Figures {
    init(_ totals: PartnerStatsQueries.Totals, period: String? = nil) {
        self.period = period
        clicks = totals.clicks
        referred = totals.referred
        sold = totals.sold
        paid = totals.earned
        pending = totals.pending
    }
}

// The answers (`ResponseContract`).
extension PartnerStatsAPI {
    static let figuresResponse = ResponseContract(
        Figures(period: "2026-11-21", clicks: 120, referred: 4, sold: 41_200, paid: 8_240, pending: 1_200), name: "PartnerStatsFigures", notes: [
            "period": .text("In `series` only: `2026-11-21` by day, `2026-11` by month (UTC)."),
            "clicks": .integer("Unique clicks."),
            "referred": .integer("Customers who signed up."),
            "sold": .integer("Revenue of referred customers net of refunds, in minor units."),
            "paid": .integer("Rewards cashed out, by the day they were earned."),
            "pending": .integer("Rewards earned and not yet paid."),
        ]
    )

    static let statsResponse = ResponseContract(
        StatsDTO(
            program: Examples.programSlug, currency: "USD", interval: "day", from: "2026-11-21", to: "2026-11-21",
            totals: figuresResponse.example, series: [figuresResponse.example]
        ),
        name: "PartnerStats", notes: [
            "program": .text("The program's slug; null for every program."),
            "currency": .currency,
            "interval": .oneOf(["day", "month"]),
            "from": FieldNote(description: "First day covered.", format: .pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
            "to": FieldNote(description: "Last day covered.", format: .pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
            "series": .list("Every period from `from` to `to`, oldest first, zeros included."),
        ]
    )
}
