/// Amount formatting for providers that want a decimal string. Integer math only.
enum PayoutAmount {
    /// `1234, 2 → "12.34"`, `1200, 0 → "1200"`, `5, 3 → "0.005"`, `-5, 2 → "-0.05"`.
    static func decimalString(minor: Int64, minorUnits: Int) -> String {
        precondition(minorUnits >= 0, "minorUnits must not be negative")
        let sign = minor < 0 ? "-" : ""
        let digits = String(minor.magnitude)
        guard minorUnits > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, minorUnits + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -minorUnits)
        return sign + padded[..<split] + "." + padded[split...]
    }
}

extension PayoutRequest {
    /// Why this request can never be paid as it stands, or nil. Checked before anything is sent.
    func problem() -> String? {
        if amount <= 0 { return "The payout amount must be positive." }
        if !(0...4).contains(minorUnits) { return "The currency's number of decimals (\(minorUnits)) is not valid." }
        if currency.utf8.count != 3 || !currency.utf8.allSatisfy({ (65...90).contains($0) }) {
            return "The currency code \"\(currency)\" is not an upper-case ISO 4217 code."
        }
        if idempotencyKey.isEmpty { return "The payout has no idempotency key." }
        return nil
    }
}
