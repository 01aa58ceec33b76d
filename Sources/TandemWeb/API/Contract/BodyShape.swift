import Foundation

/// The shape of a `Decodable` request body — its fields, their JSON types, and which are
/// optional — read from the type itself by running its `init(from:)` against a decoder that
/// records what it is asked for. The body struct is the one place a field's type is stated;
/// `BodyContract` adds what a type cannot say (limits, enums, descriptions).
indirect enum ValueShape: Equatable, Sendable {
    case string, integer, number, boolean, date, uuid
    case array(ValueShape)
    case object([FieldShape])
}

struct FieldShape: Equatable, Sendable {
    /// As the API spells it (snake_case).
    let name: String
    let shape: ValueShape
    /// Declared as an Optional (`decodeIfPresent`): the field may be left out or be null.
    let optional: Bool
}

enum BodyShape {
    /// The fields of `type`, in the order its `init(from:)` reads them.
    static func fields<T: Decodable>(of type: T.Type) -> [FieldShape] {
        let recorder = ShapeRecorder()
        do {
            _ = try T(from: recorder)
        } catch {
            preconditionFailure("\(T.self) cannot be read for its shape: \(error)")
        }
        guard case .object(let fields) = recorder.shape else { preconditionFailure("\(T.self) is not a JSON object.") }
        return fields
    }
}

/// A decoder that answers every request with a placeholder and remembers the request.
private final class ShapeRecorder: Decoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    /// What the value turned out to be, once `init(from:)` asked for a container.
    var shape: ValueShape = .string

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let container = KeyedRecorder<Key>(owner: self)
        shape = .object([])
        return KeyedDecodingContainer(container)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        shape = .array(.string)
        return UnkeyedRecorder(owner: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleRecorder(owner: self) }

    /// A placeholder of `T`, recording its shape.
    func placeholder<T: Decodable>(_ type: T.Type) throws -> (T, ValueShape) {
        if let (value, shape) = Self.primitive(type) { return (value, shape) }
        let inner = ShapeRecorder()
        let value = try T(from: inner)
        return (value, inner.shape)
    }

    static func primitive<T>(_ type: T.Type) -> (T, ValueShape)? {
        func cast(_ value: Any, _ shape: ValueShape) -> (T, ValueShape)? { (value as? T).map { ($0, shape) } }
        switch type {
        case is String.Type: return cast("", .string)
        case is Bool.Type: return cast(false, .boolean)
        case is Int.Type: return cast(0, .integer)
        case is Int64.Type: return cast(Int64(0), .integer)
        case is Int32.Type: return cast(Int32(0), .integer)
        case is Double.Type: return cast(0.0, .number)
        case is Date.Type: return cast(Date(timeIntervalSince1970: 0), .date)
        case is UUID.Type: return cast(UUID(), .uuid)
        case is Float.Type, is Int8.Type, is Int16.Type, is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            preconditionFailure("Request bodies use Int, Int64, Double, Bool, String, Date or UUID, not \(T.self).")
        default: return nil
        }
    }
}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let owner: ShapeRecorder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }
    /// Keys `decodeIfPresent` asked about first: the standard library's `decodeIfPresent`
    /// calls `contains` before `decode`; a plain `decode` does not.
    private let asked = Asked()

    final class Asked { var keys: Set<String> = [] }

    init(owner: ShapeRecorder) { self.owner = owner }

    func contains(_ key: Key) -> Bool {
        asked.keys.insert(key.stringValue)
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try record(type, forKey: key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try record(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try record(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try record(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try record(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try record(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try record(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try record(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try record(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try record(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try record(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try record(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try record(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try record(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try record(type, forKey: key) }

    private func record<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, shape) = try owner.placeholder(type)
        guard case .object(var fields) = owner.shape else { preconditionFailure("Fields outside an object.") }
        fields.append(FieldShape(name: APIError.snake(key.stringValue), shape: shape, optional: asked.keys.contains(key.stringValue)))
        owner.shape = .object(fields)
        return value
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        preconditionFailure("Request bodies decode nested objects as their own types.")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        preconditionFailure("Request bodies decode arrays as Swift arrays.")
    }

    func superDecoder() throws -> any Decoder { owner }
    func superDecoder(forKey key: Key) throws -> any Decoder { owner }
}

/// An array of exactly one placeholder element, whose shape becomes the array's.
private struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let owner: ShapeRecorder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    init(owner: ShapeRecorder) { self.owner = owner }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try record(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try record(type) }
    mutating func decode(_ type: String.Type) throws -> String { try record(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try record(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try record(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try record(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try record(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try record(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try record(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try record(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try record(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try record(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try record(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try record(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try record(type) }

    private mutating func record<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, shape) = try owner.placeholder(type)
        owner.shape = .array(shape)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        preconditionFailure("Request bodies decode nested objects as their own types.")
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        preconditionFailure("Request bodies decode arrays as Swift arrays.")
    }

    mutating func superDecoder() throws -> any Decoder { owner }
}

private struct SingleRecorder: SingleValueDecodingContainer {
    let owner: ShapeRecorder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try record(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try record(type) }
    func decode(_ type: String.Type) throws -> String { try record(type) }
    func decode(_ type: Double.Type) throws -> Double { try record(type) }
    func decode(_ type: Float.Type) throws -> Float { try record(type) }
    func decode(_ type: Int.Type) throws -> Int { try record(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try record(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try record(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try record(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try record(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try record(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try record(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try record(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try record(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try record(type) }

    private func record<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, shape) = try owner.placeholder(type)
        owner.shape = shape
        return value
    }
}
