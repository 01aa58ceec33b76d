import Foundation
import Hummingbird
import TandemDomain

/// RFC 4180 CSV with a guard against spreadsheet formula injection.
enum CSV {
    enum Cell {
        /// Free text (names, descriptions): quoted as needed, and neutralised if a
        /// spreadsheet would read it as a formula.
        case text(String)
        /// A number Tandem wrote itself ("12", "-49.99"): never prefixed.
        case number(String)
    }

    static func escape(_ cell: Cell) -> String {
        var value: String
        switch cell {
        case .number(let text): value = text
        case .text(let text):
            value = text
            if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
                value = "'" + value
            }
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) || value.hasPrefix(" ") || value.hasSuffix(" ") {
            value = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static func document(header: [String], rows: [[Cell]]) -> String {
        var out = header.map { escape(.text($0)) }.joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(escape).joined(separator: ",") + "\r\n" }
        return out
    }

    /// Minor units as a plain decimal for a spreadsheet: 4999 USD → "49.99", 1200 JPY → "1200".
    static func decimal(_ amount: Int64, currencyCode: String) -> String {
        let minorUnits = Currency(code: currencyCode)?.minorUnits ?? 2
        guard minorUnits > 0 else { return String(amount) }
        var divisor: UInt64 = 1
        for _ in 0..<minorUnits { divisor *= 10 }
        let magnitude = amount.magnitude
        let fraction = String(magnitude % divisor)
        return (amount < 0 ? "-" : "") + String(magnitude / divisor) + "." + String(repeating: "0", count: minorUnits - fraction.count) + fraction
    }

    static func response(_ text: String, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(filename)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
