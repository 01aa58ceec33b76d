/// An ISO 4217 currency with the number of digits after the decimal point.
///
/// Only currencies we know the minor unit of are accepted: guessing the exponent
/// would silently multiply or divide money by 100.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String
    public let minorUnits: Int
    public let symbol: String

    public init?(code raw: String) {
        let code = raw.uppercased()
        guard let known = Currency.known[code] else { return nil }
        self = known
    }

    private init(_ code: String, _ minorUnits: Int, _ symbol: String) {
        self.code = code
        self.minorUnits = minorUnits
        self.symbol = symbol
    }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(code: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Unknown currency \(raw)"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    public static let usd = Currency("USD", 2, "$")
    public static let eur = Currency("EUR", 2, "€")
    public static let gbp = Currency("GBP", 2, "£")

    static let known: [String: Currency] = {
        let list: [Currency] = [
            .usd, .eur, .gbp,
            Currency("AUD", 2, "A$"), Currency("CAD", 2, "CA$"), Currency("CHF", 2, "CHF "),
            Currency("CNY", 2, "CN¥"), Currency("CZK", 2, "Kč "), Currency("DKK", 2, "kr "),
            Currency("HKD", 2, "HK$"), Currency("INR", 2, "₹"), Currency("JPY", 0, "¥"),
            Currency("KRW", 0, "₩"), Currency("MXN", 2, "MX$"), Currency("NOK", 2, "kr "),
            Currency("NZD", 2, "NZ$"), Currency("PLN", 2, "zł "), Currency("SEK", 2, "kr "),
            Currency("SGD", 2, "S$"), Currency("BRL", 2, "R$"), Currency("ZAR", 2, "R "),
            Currency("BHD", 3, "BD "), Currency("KWD", 3, "KD "),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.code, $0) })
    }()

    public static var all: [Currency] { known.values.sorted { $0.code < $1.code } }
}
