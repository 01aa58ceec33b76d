import Foundation
import TandemDomain
import TandemIntegrations

/// Checks a parsed JSON body against a contract's fields, answering the first breach as the
/// API's 400. The rules are those `ContractRendering` writes into the document.
enum ContractCheck {
    static func object(_ object: [String: Any], fields: [BodyField], path: String, outbound: OutboundPolicy) -> APIError? {
        let names = Set(fields.map(\.name))
        // Like Stripe: a field the endpoint does not read is refused, not silently dropped
        // (a typo such as `ammount` must not pass for "no amount").
        if let unknown = object.keys.sorted().first(where: { !names.contains($0) }) {
            return APIError(status: .badRequest, code: "unknown_field", message: "`\(path + unknown)` is not a field of this request.", field: path + unknown)
        }
        for field in fields {
            let name = path + field.name
            let value = object[field.name]
            if isAbsent(value) {
                if field.required { return APIError(status: .badRequest, code: "missing_field", message: "`\(name)` is required.", field: name) }
                continue
            }
            if case .object = field.shape.shape, let inner = value as? [String: Any] {
                if let error = Self.object(inner, fields: field.innerFields, path: name + ".", outbound: outbound) { return error }
                continue
            }
            if let error = Self.value(value!, shape: field.shape.shape, note: field.note, required: field.required, path: name, outbound: outbound) { return error }
        }
        return nil
    }

    /// Left out, null, or (text) blank: the API reads all three as absent.
    static func isAbsent(_ value: Any?) -> Bool {
        guard let value, !(value is NSNull) else { return true }
        if let text = value as? String { return trim(text).isEmpty }
        return false
    }

    static func trim(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func value(_ value: Any, shape: ValueShape, note: FieldNote, required: Bool, path: String, outbound: OutboundPolicy) -> APIError? {
        let name = String(path.split(separator: ".").last ?? Substring(path)).replacingOccurrences(of: #"\[\d+\]$"#, with: "", options: .regularExpression)
        switch shape {
        case .string:
            guard let text = value as? String else { return nil }
            if let values = note.values, !values.contains(text) {
                return APIError.invalid(path, note.refusal ?? "`\(path)` must be one of \(values.joined(separator: ", ")).")
            }
            if let maxLength = note.maxLength, text.unicodeScalars.count > maxLength {
                return APIError.invalid(path, "`\(path)` is at most \(maxLength) characters.")
            }
            if note.format == nil {
                // Plain text: the document's pattern refuses control characters (and, for a
                // required field, blank text, which `object` has answered as missing already).
                guard note.values == nil, let pattern = ContractRendering.pattern(note, name: name, required: false, outbound: outbound),
                      !matches(text, pattern) else { return nil }
                let long = APIJSON.longTextFields.contains(name)
                return APIError.invalid(path, "`\(path)` may not contain control characters\(long ? " other than line breaks and tabs" : "").")
            }
            if required, note.format == .uuid, UUID(uuidString: trim(text)) == nil {
                return APIError.invalid(path, "`\(path)` must be an id (a UUID).")
            }
            if let pattern = ContractRendering.pattern(note, name: name, required: required, outbound: outbound), !matches(text, pattern) {
                return APIError.invalid(path, note.refusal ?? refusal(note.format!, path: path))
            }
        case .integer:
            guard let number = (value as? NSNumber)?.int64Value else { return nil }
            var minimum = note.minimum
            var maximum = note.maximum
            if APIJSON.isAmountField(name) {
                if number.magnitude > AmountLimit.maximum.magnitude {
                    return APIError(status: .badRequest, code: "amount_too_large", message: AmountLimit.message(field: path), field: path)
                }
                maximum = Swift.min(maximum ?? AmountLimit.maximum, AmountLimit.maximum)
                minimum = Swift.max(minimum ?? -AmountLimit.maximum, -AmountLimit.maximum)
            }
            if let minimum, number < minimum { return APIError.invalid(path, "`\(path)` must be at least \(minimum).") }
            if let maximum, number > maximum { return APIError.invalid(path, "`\(path)` must be at most \(maximum).") }
        case .number:
            guard let number = (value as? NSNumber)?.doubleValue else { return nil }
            if let floor = note.exclusiveMinimum, !(number > floor) { return APIError.invalid(path, "`\(path)` must be more than \(floor.formatted()).") }
            if let maximum = note.numberMaximum, number > maximum { return APIError.invalid(path, "`\(path)` must be at most \(maximum.formatted()).") }
            if let step = note.multipleOf {
                let steps = number / step
                if (steps - steps.rounded()).magnitude > 1e-6 {
                    return APIError.invalid(path, "`\(path)` takes steps of \(step.formatted()) (e.g. 12.5, not 12.345).")
                }
            }
        case .boolean:
            if let only = note.only, (value as? Bool) != only {
                return APIError.invalid(path, note.refusal ?? "`\(path)` can only be \(only).")
            }
        case .array(let items):
            guard let list = value as? [Any] else { return nil }
            if let minItems = note.minItems, list.count < minItems {
                return APIError.invalid(path, "`\(path)` needs at least \(minItems) item\(minItems == 1 ? "" : "s").")
            }
            if let maxItems = note.maxItems, list.count > maxItems {
                return APIError.invalid(path, "`\(path)` holds at most \(maxItems) items.")
            }
            var itemNote = note
            itemNote.minItems = nil
            itemNote.maxItems = nil
            for (index, item) in list.enumerated() {
                if isAbsent(item), item is NSNull || items == .string {
                    return APIError.invalid("\(path)[\(index)]", "`\(path)[\(index)]` may not be empty.")
                }
                if let error = Self.value(item, shape: items, note: itemNote, required: true, path: "\(path)[\(index)]", outbound: outbound) { return error }
            }
        case .uuid, .date, .object:
            // The decoder has read these already (a malformed id or time is its 400).
            break
        }
        return nil
    }

    static func refusal(_ format: FieldNote.Format, path: String) -> String {
        switch format {
        case .email: "`\(path)` must be an email address like name@example.com."
        case .url: "`\(path)` must be an http:// or https:// address on a domain, like https://example.com/page."
        case .hostname: "`\(path)` must be a domain like example.com."
        case .uuid: "`\(path)` must be an id (a UUID)."
        case .webhookURL: "`\(path)` must be an https:// address on a public host name."
        case .pattern: "`\(path)` is not in the form this field takes."
        }
    }

    /// The same text the document carries, searched as JSON Schema does. Compiled per check:
    /// only fields with a format have one, and compiling takes microseconds.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else {
            preconditionFailure("A contract pattern does not compile: \(pattern)")
        }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
