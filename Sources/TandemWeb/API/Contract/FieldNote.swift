import Foundation
import TandemDomain

/// What a request field's Swift type cannot say: its limits, the values it takes, its
/// format and its description. A `BodyContract` pairs a body type with its notes; the
/// OpenAPI document is rendered from the pair and the server checks every body against it.
struct FieldNote: Sendable {
    enum Format: Sendable, Equatable {
        /// What `Validate.email` takes.
        case email
        /// An http(s) address on a host name.
        case url
        /// A host name, optionally with a scheme before and a path after.
        case hostname
        /// A UUID in a string field (left blank, an optional one is absent).
        case uuid
        /// An https address on a public host name, as webhooks take it.
        case webhookURL
        /// Any other pattern (JSON Schema's `pattern`: a search, so anchor it).
        case pattern(String)
    }

    enum Default: Sendable, Equatable {
        case integer(Int)
        case boolean(Bool)
    }

    var description: String?
    /// The strings the field (or each of its items) may take.
    var values: [String]?
    /// A boolean that takes this one value only.
    var only: Bool?
    /// The sentence the server answers when `values`, `only` or `format` refuse a value.
    var refusal: String?
    var maxLength: Int?
    var format: Format?
    var minimum: Int64?
    var maximum: Int64?
    var exclusiveMinimum: Double?
    var numberMaximum: Double?
    var multipleOf: Double?
    var minItems: Int?
    var maxItems: Int?
    var defaultValue: Default?
    /// A value the field takes (the document shows it; tests build bodies from it).
    var example: String?

    /// This note with every property `other` sets taken from it (a case's refinements).
    func refined(by other: FieldNote) -> FieldNote {
        var note = self
        note.description = other.description ?? description
        note.values = other.values ?? values
        note.only = other.only ?? only
        note.refusal = other.refusal ?? refusal
        note.maxLength = other.maxLength ?? maxLength
        note.format = other.format ?? format
        note.minimum = other.minimum ?? minimum
        note.maximum = other.maximum ?? maximum
        note.exclusiveMinimum = other.exclusiveMinimum ?? exclusiveMinimum
        note.numberMaximum = other.numberMaximum ?? numberMaximum
        note.multipleOf = other.multipleOf ?? multipleOf
        note.minItems = other.minItems ?? minItems
        note.maxItems = other.maxItems ?? maxItems
        note.defaultValue = other.defaultValue ?? defaultValue
        note.example = other.example ?? example
        return note
    }
}

// The forms notes are written in, so a contract reads like the API it describes.
extension FieldNote {
    static let programSlug = FieldNote.text("The program's slug.")
    static let currency = FieldNote.oneOf(Currency.all.map(\.code), "ISO 4217 code, e.g. USD.")

    static func text(_ description: String? = nil, max: Int? = nil) -> FieldNote {
        FieldNote(description: description, maxLength: max)
    }

    static func oneOf(_ values: [String], _ description: String? = nil) -> FieldNote {
        FieldNote(description: description, values: values)
    }

    static func email(_ description: String? = nil) -> FieldNote { FieldNote(description: description, format: .email) }
    static func url(_ description: String? = nil) -> FieldNote { FieldNote(description: description, format: .url) }
    static func hostnames(_ description: String? = nil, maxItems: Int? = nil) -> FieldNote {
        FieldNote(description: description, format: .hostname, maxItems: maxItems)
    }
    static func id(_ description: String? = nil) -> FieldNote { FieldNote(description: description, format: .uuid) }
    static func pattern(_ pattern: String, _ description: String? = nil, example: String, refusal: String) -> FieldNote {
        FieldNote(description: description, refusal: refusal, format: .pattern(pattern), example: example)
    }

    static func integer(_ description: String? = nil, min: Int64? = nil, max: Int64? = nil, default value: Int? = nil) -> FieldNote {
        FieldNote(description: description, minimum: min, maximum: max, defaultValue: value.map(Default.integer))
    }

    static func number(_ description: String? = nil, moreThan: Double? = nil, max: Double? = nil, multipleOf: Double? = nil) -> FieldNote {
        FieldNote(description: description, exclusiveMinimum: moreThan, numberMaximum: max, multipleOf: multipleOf)
    }

    static func flag(_ description: String? = nil, default value: Bool? = nil) -> FieldNote {
        FieldNote(description: description, defaultValue: value.map(Default.boolean))
    }

    static func only(_ value: Bool, _ description: String? = nil, refusal: String) -> FieldNote {
        FieldNote(description: description, only: value, refusal: refusal)
    }

    static func list(_ description: String? = nil, min: Int? = nil, max: Int? = nil, values: [String]? = nil) -> FieldNote {
        FieldNote(description: description, values: values, minItems: min, maxItems: max)
    }

    /// A list of ids.
    static func ids(_ description: String? = nil, min: Int? = nil, max: Int? = nil) -> FieldNote {
        FieldNote(description: description, format: .uuid, minItems: min, maxItems: max)
    }
}
