import Testing
@testable import TandemDomain

@Suite struct MoneyTests {
    @Test(arguments: [
        (Int64(0), "USD", "$0.00"), (123456, "USD", "$1,234.56"), (-5, "EUR", "-€0.05"),
        (1200, "JPY", "¥1,200"), (1_000_000_000, "GBP", "£10,000,000.00"), (1234, "KWD", "KD 1.234"),
    ])
    func formats(amount: Int64, code: String, expected: String) throws {
        let currency = try #require(Currency(code: code))
        #expect(Money(amount: amount, currency: currency).formatted == expected)
    }

    @Test func parsesWhatPeopleType() throws {
        #expect(Money.parse("12", currency: .usd)?.amount == 1200)
        #expect(Money.parse("12.5", currency: .usd)?.amount == 1250)
        #expect(Money.parse("1,234.56", currency: .usd)?.amount == 123456)
        #expect(Money.parse("-0.05", currency: .usd)?.amount == -5)
        let yen = try #require(Currency(code: "jpy"))
        #expect(Money.parse("1200", currency: yen)?.amount == 1200)
    }

    @Test(arguments: ["", "abc", "1.234", "1.", ".5", "1.2.3", "99999999999999999999", "1e5"])
    func refusesAmbiguousAmounts(text: String) {
        #expect(Money.parse(text, currency: .usd) == nil)
    }

    @Test func refusesUnknownCurrencies() {
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "usd") == .usd)
    }

    @Test func sumsOnlyTheSameCurrency() {
        let total = Money(amount: 150, currency: .eur) + Money(amount: -50, currency: .eur)
        #expect(total == Money(amount: 100, currency: .eur))
    }
}
