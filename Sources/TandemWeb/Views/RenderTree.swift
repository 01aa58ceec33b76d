import Foundation
import Mustache

/// A view model as Mustache reads it: each struct becomes a node whose fields are found by a
/// hash lookup (`MustacheParent`).
///
/// Given a plain struct, swift-mustache finds every `{{name}}` with a `Mirror`, walking all
/// the struct's fields each time, and inside a section of rows it reflects the row and then
/// the page's whole model for each name the row lacks (the CSRF token, the shell). On a page
/// of 50 reviewable rewards that was 70 % of the request. Reflecting the model once, here,
/// gives the same answers: a nil optional is left out, so the lookup goes on to the enclosing
/// contexts exactly as Mustache does for a nil field; arrays stay arrays (sections), and
/// scalars, lambdas and types with their own mirror (String, Int, Bool, Date) stay as they are.
struct RenderNode: MustacheParent {
    let fields: [String: Any]

    func child(named name: String) -> Any? { fields[name] }

    /// `value` with every struct inside it made a node.
    static func tree(_ value: Any) -> Any? {
        // Arrays first: they are `MustacheTransformable` too, and their rows are what need converting.
        if let array = value as? [Any] { return array.map { tree($0) ?? Optional<Any>.none as Any } }
        if value is MustacheLambda || value is any MustacheParent || value is any MustacheCustomRenderable
            || value is any MustacheCustomRepresentation || value is any MustacheTransformable { return value }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { tree($0.value) }
        case .struct where !(value is any CustomReflectable):
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let converted = tree(child.value) else { continue }
                fields[label] = converted
            }
            return RenderNode(fields: fields)
        default:
            return value
        }
    }
}
