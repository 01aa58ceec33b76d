/// Errors of a form or a JSON body, by field, in the order they were found.
public struct FieldErrors: Sendable, Equatable {
    public private(set) var items: [(field: String, message: String)] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        guard self[field] == nil else { return }
        items.append((field, message))
    }

    public subscript(field: String) -> String? {
        items.first { $0.field == field }?.message
    }

    public static func == (lhs: FieldErrors, rhs: FieldErrors) -> Bool {
        lhs.items.map(\.field) == rhs.items.map(\.field) && lhs.items.map(\.message) == rhs.items.map(\.message)
    }
}
