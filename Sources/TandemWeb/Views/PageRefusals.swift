import Hummingbird
import TandemDomain
import TandemOperations

/// How the pages show a workflow's refusal, in one place (the API's is `OperationErrorMapping`):
/// under the field at fault, or above the form, or as a notice, with the status that says why.
extension FormState {
    init(values: [String: String], refusal: OperationError) {
        var errors = FieldErrors()
        if let field = refusal.field {
            errors.add(field, refusal.sentence)
            self.init(values: values, errors: errors)
        } else {
            self.init(values: values, formError: refusal.sentence)
        }
    }
}

extension Shell.Notice {
    init(refusal: OperationError) {
        self.init(kind: "error", message: refusal.sentence)
    }
}

extension HTTPResponse.Status {
    /// 422 for what the person typed, 409 for what the state forbids, 403 and 404 as they are.
    init(refusal: OperationError) {
        switch refusal {
        case .invalid, .missing, .taken, .unknownReference: self = .unprocessableContent
        case .conflict: self = .conflict
        case .forbidden: self = .forbidden
        case .notFound: self = .notFound
        }
    }
}
