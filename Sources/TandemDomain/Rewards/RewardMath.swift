import Foundation

/// Integer money arithmetic for rewards. Rounding is half-up (half away from zero)
/// to the minor unit: 20 % of $0.03 is 0.6 ¢ → 1 ¢; 20 % of $0.02 is 0.4 ¢ → 0 ¢.
public enum RewardMath {
    /// `amount × numerator ÷ denominator`, rounded half away from zero, without overflow for money-sized values.
    public static func scale(_ amount: Int64, by numerator: Int64, over denominator: Int64) -> Int64 {
        precondition(denominator > 0)
        let product = amount.multipliedFullWidth(by: numerator)
        let wide = (Int128(product.high) << 64) | Int128(product.low)
        let d = Int128(denominator)
        let quotient = wide / d
        let remainder = wide % d
        let rounded = remainder.magnitude * 2 >= d.magnitude ? quotient + (wide < 0 ? -1 : 1) : quotient
        return Int64(clamping: rounded)
    }

    public static func percent(_ amount: Int64, basisPoints: Int64) -> Int64 {
        scale(amount, by: basisPoints, over: 10_000)
    }

    /// "20", "12.5", "0.25" for 2000, 1250, 25 basis points.
    public static func percentText(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        if fraction == 0 { return String(whole) }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return String(whole) + "." + digits
    }

    /// Parses a percentage as people write it ("20", "12.5", "0.25") into basis points; nil past two decimals.
    public static func basisPoints(fromPercent text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isNumber), let value = Int64(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        return whole * 100 + fraction
    }

    /// The date `months` calendar months after `date` (UTC); the 31st clamps to the month's end.
    public static func adding(months: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: months, to: date) ?? date
    }
}
