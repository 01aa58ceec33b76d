/// An optional the API sends as `null` rather than leaving out: the contract names
/// these fields (`"partnership_id": null` means "not attributed").
@propertyWrapper
public struct NullEncoded<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// A value that encodes as `null` when it has nothing: the API document reads these fields
/// as "always present, may be null" from the example it encodes (see `ResponseShape`).
public protocol NullableEncoding {
    var encodedValue: (any Encodable)? { get }
}

extension NullEncoded: NullableEncoding {
    public var encodedValue: (any Encodable)? { wrappedValue }
}
