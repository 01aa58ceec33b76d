import Foundation

/// The rules for what people type into account forms.
public enum Validate {
    public static let minimumPasswordLength = 10
    public static let maximumPasswordLength = 72  // bcrypt ignores bytes past 72

    /// Lower-cased and trimmed: the one spelling of an address we store and compare.
    public static func normalizedEmail(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public static func email(_ raw: String, field: String = "email", into errors: inout FieldErrors) {
        let email = normalizedEmail(raw)
        if email.isEmpty {
            errors.add(field, "Enter your email address.")
        } else if !isPlausibleEmail(email) {
            errors.add(field, "Enter an email address like name@example.com.")
        }
    }

    public static func password(_ password: String, field: String = "password", into errors: inout FieldErrors) {
        if password.isEmpty {
            errors.add(field, "Enter a password.")
        } else if password.count < minimumPasswordLength {
            errors.add(field, "Use at least \(minimumPasswordLength) characters.")
        } else if password.utf8.count > maximumPasswordLength {
            errors.add(field, "Use at most \(maximumPasswordLength) characters.")
        }
    }

    public static func name(_ raw: String, field: String = "name", label: String = "your name", into errors: inout FieldErrors) {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.add(field, "Enter \(label).")
        } else if name.count > 100 {
            errors.add(field, "Keep it under 100 characters.")
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.add(field, "Remove the control characters.")
        }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }
}
