// Pure helpers for SVGChart: the y-axis scale, x-label thinning, number
// formatting and XML escaping. Foundation only, no state.
//
// Money never passes through Double here: data values and tick values stay
// Int64. Double is used only to turn a value into a pixel position.

enum ChartScale {
    /// "Nice" y-axis ticks (steps of 1, 2 or 5 × 10^n, never smaller than 1)
    /// that start at 0 and cover `minValue...maxValue`, negative values
    /// included. Aims for 4–6 ticks: the fewest intervals (at most 5) that
    /// cover the data, then padded up to 3 intervals so a flat or tiny chart
    /// still has an axis. Values near Int64's limits saturate instead of
    /// overflowing, so the outermost tick may then be Int64.max or Int64.min.
    static func ticks(minValue: Int64, maxValue: Int64) -> [Int64] {
        let low = Double(Swift.min(minValue, maxValue, 0))
        let high = Double(Swift.max(minValue, maxValue, 0))

        // Smallest nice step that covers the range in at most 5 intervals.
        // Every candidate (k × 10^n, n ≤ 18) is exact in Double.
        var step = 1.0
        var bottom = 0.0
        var top = 0.0
        search: for exponent in 0...19 {
            let power = pow10(exponent)
            for multiplier in [1.0, 2.0, 5.0] {
                let candidate = multiplier * power
                let b = (low / candidate).rounded(.down)
                let t = (high / candidate).rounded(.up)
                if t - b <= 5 {
                    step = candidate
                    bottom = b
                    top = t
                    break search
                }
            }
        }
        // At least 3 intervals (4 ticks): grow away from zero on the side
        // that holds the data (upwards for all-zero data).
        while top - bottom < 3 {
            if high == 0 && low < 0 { bottom -= 1 } else { top += 1 }
        }

        var result: [Int64] = []
        var index = bottom
        while index <= top {
            result.append(saturatingInt64(index * step))
            index += 1
        }
        // Saturation can create a duplicate outermost tick; drop it.
        var unique: [Int64] = []
        for tick in result where unique.last != tick { unique.append(tick) }
        return unique
    }

    /// Indices of the x labels to draw so that they do not overlap: at most
    /// `maxLabels`, and no more than fit in `plotWidth` at the estimated width
    /// of the longest label.
    static func visibleLabelIndices(
        count: Int, longestLabel: Int, plotWidth: Double, charWidth: Double, maxLabels: Int = 12
    ) -> [Int] {
        guard count > 0 else { return [] }
        let perLabel = Double(Swift.max(longestLabel, 1)) * charWidth + 6
        let fitting = plotWidth.isFinite && plotWidth > 0 ? Int(plotWidth / perLabel) : 1
        let shown = Swift.max(1, Swift.min(maxLabels, fitting, count))
        let stride = (count + shown - 1) / shown
        return Array(Swift.stride(from: 0, to: count, by: stride))
    }


    /// Escapes text for XML/HTML content and attribute values, and drops
    /// characters XML 1.0 forbids (control characters), so the output stays
    /// well-formed whatever the input.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A pixel coordinate rounded to one decimal, without a trailing ".0"
    /// and never "-0", so output is deterministic and compact.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = Swift.max(-1_000_000, Swift.min(1_000_000, value))
        let tenths = Int((clamped * 10).rounded())
        if tenths == 0 { return "0" }
        let sign = tenths < 0 ? "-" : ""
        let whole = tenths.magnitude / 10
        let fraction = tenths.magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func saturatingInt64(_ value: Double) -> Int64 {
        // 2^63 is exactly representable; anything at or above it saturates.
        if value >= 9_223_372_036_854_775_808.0 { return .max }
        if value <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(value)
    }
}
