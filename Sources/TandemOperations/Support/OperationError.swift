/// Why a workflow refused: what kind of refusal, a stable code, the field at fault (when one
/// is) and a sentence for a person. Workflows throw only this; the API maps it to its JSON
/// error and the pages to a form error or a notice, each in one place.
public enum OperationError: Error, Equatable, Sendable {
    /// The input is wrong: `field` names it.
    case invalid(field: String, message: String)
    /// A required value is absent.
    case missing(field: String, message: String)
    /// Nothing with that id is the caller's (or exists).
    case notFound(what: String)
    /// A reference in the input (a customer key, an external id) names nothing of the caller's.
    case unknownReference(code: String, field: String?, message: String)
    /// The current state forbids it (nothing to withdraw, already paid, …).
    case conflict(code: String, message: String)
    /// A value that must be unique (a link's slug in its program) is in use: code `<field>_taken`.
    case taken(field: String, message: String)
    /// The caller may not do this to something it can see.
    case forbidden(code: String, message: String)

    public var code: String {
        switch self {
        case .invalid: "invalid_field"
        case .missing: "missing_field"
        case .notFound: "not_found"
        case .conflict(let code, _), .forbidden(let code, _), .unknownReference(let code, _, _): code
        case .taken(let field, _): field + "_taken"
        }
    }

    public var field: String? {
        switch self {
        case .invalid(let field, _), .missing(let field, _), .taken(let field, _): field
        case .unknownReference(_, let field, _): field
        default: nil
        }
    }

    public var sentence: String {
        switch self {
        case .invalid(_, let message), .missing(_, let message), .conflict(_, let message), .forbidden(_, let message), .unknownReference(_, _, let message), .taken(_, let message): message
        case .notFound(let what): "No \(what) with that id is yours."
        }
    }
}
