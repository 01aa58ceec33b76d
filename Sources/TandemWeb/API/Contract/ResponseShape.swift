import Foundation
import TandemStore

/// The shape of an answer — its fields, their JSON types, which may be left out and which may
/// be null — read by encoding an example of the very type the handler answers with, through an
/// encoder that records what it is given. A field the type encodes with `encodeIfPresent` (a
/// plain Optional) may be left out; an `@NullEncoded` one is always there and may be null.
/// The example must fill every field, so each one's type shows.
indirect enum ResponseValue: Sendable {
    /// A string, with the example's value (the `object` field's is its constant).
    case string(example: String)
    case integer, number, boolean, date, uuid
    case array(ResponseValue)
    /// An object of the Swift type `type` (a named schema becomes a `$ref`).
    case object(type: ObjectIdentifier, fields: [ResponseField])
}

struct ResponseField: Sendable {
    /// As the API spells it (snake_case).
    let name: String
    let value: ResponseValue
    /// Encoded with `encodeIfPresent`: absent when the value is nil.
    let omittedWhenNil: Bool
    /// `@NullEncoded`: present, and null when there is no value.
    let nullable: Bool
}

enum ResponseShape {
    /// The shape `example` encodes to.
    static func of(_ example: any Encodable, path: String) -> ResponseValue {
        let (value, nullable) = shape(of: example, path: path)
        precondition(!nullable, "\(path) is an answer, not a nullable field.")
        return value
    }

    /// A value's shape, and whether it is a nullable wrapper. Primitives are recognised before
    /// they encode (a `Date` would otherwise look like a number, a `UUID` like any string).
    fileprivate static func shape(of value: any Encodable, path: String) -> (ResponseValue, nullable: Bool) {
        if let wrapper = value as? any NullableEncoding {
            guard let inner = wrapper.encodedValue else {
                preconditionFailure("The example leaves \(path) null: give it a value, so its type shows.")
            }
            return (shape(of: inner, path: path).0, true)
        }
        switch value {
        case let text as String: return (.string(example: text), false)
        case is Bool: return (.boolean, false)
        case is Int, is Int64, is Int32: return (.integer, false)
        case is Double: return (.number, false)
        case is Date: return (.date, false)
        case is UUID: return (.uuid, false)
        case is Float, is Int8, is Int16, is UInt, is UInt8, is UInt16, is UInt32, is UInt64:
            preconditionFailure("Answers use Int, Int64, Double, Bool, String, Date or UUID, not \(type(of: value)) (\(path)).")
        default:
            let recorder = ResponseRecorder(path: path)
            do { try value.encode(to: recorder) } catch { preconditionFailure("\(path) cannot be encoded for its shape: \(error)") }
            switch recorder.kind {
            case .object:
                return (.object(type: ObjectIdentifier(type(of: value)), fields: recorder.fields), false)
            case .array:
                guard let first = recorder.elements.first else {
                    preconditionFailure("The example's \(path) is an empty list: give it an item, so the items' type shows.")
                }
                return (.array(first), false)
            case .single(let inner):
                return (inner, recorder.singleNullable)
            case .none:
                preconditionFailure("\(path) encodes nothing.")
            }
        }
    }
}

/// An encoder that keeps the shape of what it is given instead of bytes.
private final class ResponseRecorder: Encoder {
    enum Kind { case object, array, single(ResponseValue) }

    let path: String
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    var kind: Kind?
    var fields: [ResponseField] = []
    var elements: [ResponseValue] = []
    var singleNullable = false

    init(path: String) { self.path = path }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // A type may write its fields in more than one container (a wrapper's fields and its own).
        kind = .object
        return KeyedEncodingContainer(KeyedResponseRecorder<Key>(owner: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        kind = .array
        return UnkeyedResponseRecorder(owner: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleResponseRecorder(owner: self) }

    func add(_ value: any Encodable, key: String, omittedWhenNil: Bool) {
        let name = APIError.snake(key)
        let (shape, nullable) = ResponseShape.shape(of: value, path: path + "." + name)
        fields.removeAll { $0.name == name }
        fields.append(ResponseField(name: name, value: shape, omittedWhenNil: omittedWhenNil, nullable: nullable))
    }

    func absent(_ key: String) -> Never {
        preconditionFailure("The example leaves \(path).\(APIError.snake(key)) out: give it a value, so its type shows.")
    }
}

private struct KeyedResponseRecorder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let owner: ResponseRecorder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { owner.absent(key.stringValue) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: String, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Double, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Float, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Int, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { owner.add(value, key: key.stringValue, omittedWhenNil: false) }

    // A plain Optional is written with `encodeIfPresent`: the field is left out when it is nil.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }

    private func present<T: Encodable>(_ value: T?, _ key: Key) throws {
        guard let value else { owner.absent(key.stringValue) }
        owner.add(value, key: key.stringValue, omittedWhenNil: true)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("Answers encode nested objects as their own types (\(owner.path).\(key.stringValue)).")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("Answers encode lists as Swift arrays (\(owner.path).\(key.stringValue)).")
    }

    mutating func superEncoder() -> any Encoder { owner }
    mutating func superEncoder(forKey key: Key) -> any Encoder { owner }
}

private struct UnkeyedResponseRecorder: UnkeyedEncodingContainer {
    let owner: ResponseRecorder
    var codingPath: [any CodingKey] { [] }
    var count: Int { owner.elements.count }

    mutating func encodeNil() throws { preconditionFailure("A list in \(owner.path) holds a null.") }
    mutating func encode<T: Encodable>(_ value: T) throws { append(value) }
    mutating func encode(_ value: Bool) throws { append(value) }
    mutating func encode(_ value: String) throws { append(value) }
    mutating func encode(_ value: Double) throws { append(value) }
    mutating func encode(_ value: Float) throws { append(value) }
    mutating func encode(_ value: Int) throws { append(value) }
    mutating func encode(_ value: Int8) throws { append(value) }
    mutating func encode(_ value: Int16) throws { append(value) }
    mutating func encode(_ value: Int32) throws { append(value) }
    mutating func encode(_ value: Int64) throws { append(value) }
    mutating func encode(_ value: UInt) throws { append(value) }
    mutating func encode(_ value: UInt8) throws { append(value) }
    mutating func encode(_ value: UInt16) throws { append(value) }
    mutating func encode(_ value: UInt32) throws { append(value) }
    mutating func encode(_ value: UInt64) throws { append(value) }

    private func append(_ value: any Encodable) {
        owner.elements.append(ResponseShape.shape(of: value, path: owner.path + "[]").0)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("Answers encode nested objects as their own types (\(owner.path)).")
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("Answers encode lists as Swift arrays (\(owner.path)).")
    }

    mutating func superEncoder() -> any Encoder { owner }
}

private struct SingleResponseRecorder: SingleValueEncodingContainer {
    let owner: ResponseRecorder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { preconditionFailure("The example leaves \(owner.path) null: give it a value, so its type shows.") }
    mutating func encode<T: Encodable>(_ value: T) throws { set(value) }
    mutating func encode(_ value: Bool) throws { set(value) }
    mutating func encode(_ value: String) throws { set(value) }
    mutating func encode(_ value: Double) throws { set(value) }
    mutating func encode(_ value: Float) throws { set(value) }
    mutating func encode(_ value: Int) throws { set(value) }
    mutating func encode(_ value: Int8) throws { set(value) }
    mutating func encode(_ value: Int16) throws { set(value) }
    mutating func encode(_ value: Int32) throws { set(value) }
    mutating func encode(_ value: Int64) throws { set(value) }
    mutating func encode(_ value: UInt) throws { set(value) }
    mutating func encode(_ value: UInt8) throws { set(value) }
    mutating func encode(_ value: UInt16) throws { set(value) }
    mutating func encode(_ value: UInt32) throws { set(value) }
    mutating func encode(_ value: UInt64) throws { set(value) }

    private func set(_ value: any Encodable) {
        let (shape, nullable) = ResponseShape.shape(of: value, path: owner.path)
        owner.kind = .single(shape)
        owner.singleNullable = nullable
    }
}
