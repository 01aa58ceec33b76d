/// An amount of money: integer minor units (cents) and a currency. Never a floating point.
public struct Money: Hashable, Sendable, Codable {
    public var amount: Int64
    public var currency: Currency

    public init(amount: Int64, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(amount: 0, currency: currency) }

    /// Adding different currencies is a programming error, not a user error: totals never mix currencies.
    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(amount: lhs.amount + rhs.amount, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(amount: lhs.amount - rhs.amount, currency: lhs.currency)
    }

    /// "$1,234.56", "-€0.05", "¥1,200": symbol, grouped integer part, exactly `minorUnits` decimals.
    public var formatted: String {
        let negative = amount < 0
        let magnitude = amount.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<currency.minorUnits { divisor *= 10 }
        let whole = magnitude / divisor
        let fraction = magnitude % divisor
        var text = currency.symbol + Money.grouped(whole)
        if currency.minorUnits > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: currency.minorUnits - digits.count) + digits
        }
        return negative ? "-" + text : text
    }

    /// "1234.56": what a form field shows to be typed over; `parse` reads it back.
    public var plain: String {
        formatted.replacingOccurrences(of: currency.symbol, with: "").replacingOccurrences(of: ",", with: "")
    }

    /// A count with thousands separators ("12,086").
    public static func grouped(_ value: Int64) -> String {
        (value < 0 ? "-" : "") + grouped(value.magnitude)
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

extension Money {
    /// Parses what a person types in a form ("12", "12.5", "1,234.56") into minor units.
    /// Refuses more decimals than the currency has rather than rounding someone's money.
    public static func parse(_ text: String, currency: Currency) -> Money? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        guard !cleaned.isEmpty else { return nil }
        var body = Substring(cleaned)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholePart = parts.first, !wholePart.isEmpty,
              wholePart.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        var fractionPart = parts.count == 2 ? String(parts[1]) : ""
        guard fractionPart.allSatisfy(\.isASCIIDigitCharacter), fractionPart.count <= currency.minorUnits else { return nil }
        if parts.count == 2 && fractionPart.isEmpty { return nil }
        fractionPart += String(repeating: "0", count: currency.minorUnits - fractionPart.count)
        guard let value = Int64(String(wholePart) + fractionPart) else { return nil }
        return Money(amount: negative ? -value : value, currency: currency)
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
