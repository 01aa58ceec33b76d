/// The largest amount Tandem accepts anywhere, and arithmetic on sums that cannot trap.
///
/// Like a payment provider's per-charge maximum: every amount the API or a form takes is
/// at most a trillion minor units (ten billion dollars) either way. Sums of many such
/// amounts still fit an Int64 by far, but they are added with overflow checks all the
/// same, so an impossible total is an error for one request, never a crashed process.
public enum AmountLimit {
    public static let maximum: Int64 = 1_000_000_000_000

    public static func contains(_ amount: Int64) -> Bool { amount.magnitude <= UInt64(maximum) }

    /// The sentence an API error or a form shows for an amount past the limit.
    public static func message(field: String) -> String {
        "`\(field)` must be at most 1,000,000,000,000 minor units (10 billion in a two-decimal currency)."
    }
}

/// A total that does not fit 64 bits: only amounts far beyond `AmountLimit` can cause it.
public struct AmountOverflow: Error, Sendable, Equatable {
    public init() {}
}

extension Int64 {
    /// `self + other`, or `AmountOverflow` instead of trapping.
    public func addingChecked(_ other: Int64) throws(AmountOverflow) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        if overflow { throw AmountOverflow() }
        return sum
    }

    /// `-self`, or `AmountOverflow` for `Int64.min`.
    public func negatedChecked() throws(AmountOverflow) -> Int64 {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(self)
        if overflow { throw AmountOverflow() }
        return result
    }
}

extension Sequence where Element == Int64 {
    /// The sum, overflow-checked.
    public func checkedSum() throws(AmountOverflow) -> Int64 {
        var total: Int64 = 0
        for value in self { total = try total.addingChecked(value) }
        return total
    }
}
