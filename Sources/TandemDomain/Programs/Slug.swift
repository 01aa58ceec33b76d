/// URL-safe identifiers made from names ("Acme Analytics, Inc." → "acme-analytics-inc").
public enum Slug {
    public static func make(from name: String) -> String {
        var out = ""
        var lastWasDash = true
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                out.append("-")
                lastWasDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(48))
    }

    /// Letters, digits and dashes; not starting or ending with a dash.
    public static func isValid(_ slug: String) -> Bool {
        guard (1...64).contains(slug.count), slug.first != "-", slug.last != "-" else { return false }
        return slug.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }
}
