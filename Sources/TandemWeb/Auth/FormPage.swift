import TandemDomain

/// What a form page shows again after a failed submit: the values typed (never a
/// password) and an error per field.
struct FormState {
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    /// An error about the whole form, shown above it.
    var formError: String?

    init(values: [String: String] = [:], errors: FieldErrors = FieldErrors(), formError: String? = nil) {
        self.values = values
        for item in errors.items { self.errors[item.field] = item.message }
        self.formError = formError
    }
}
