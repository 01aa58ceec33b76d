import Hummingbird
import TandemOperations

extension APIError {
    /// A workflow's refusal as the API answers it: the one place the two meet.
    init(_ refusal: OperationError) {
        switch refusal {
        case .invalid(let field, let message): self.init(status: .badRequest, code: refusal.code, message: message, field: field)
        case .missing(let field, let message): self.init(status: .badRequest, code: refusal.code, message: message, field: field)
        case .notFound: self.init(status: .notFound, code: refusal.code, message: refusal.sentence)
        case .unknownReference(let code, let field, let message): self.init(status: .notFound, code: code, message: message, field: field)
        case .conflict(let code, let message): self.init(status: .conflict, code: code, message: message)
        case .taken(let field, let message): self.init(status: .conflict, code: refusal.code, message: message, field: field)
        case .forbidden(let code, let message): self.init(status: .forbidden, code: code, message: message)
        }
    }
}
