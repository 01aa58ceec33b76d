import Foundation
import NIOCore
import PostgresNIO

/// A one-dimensional PostgreSQL array in its binary wire form (what `array_recv` reads), filled
/// element by element and bound as one parameter of the click writer's statements.
///
/// Why not bind `[UUID]`, `[String]`, …: PostgresNIO encodes every element through its generic
/// `encodeRaw` (a length placeholder, the value through a protocol witness, the length patched
/// in). A profile of the server during the redirect benchmark on PostgreSQL found that encoding,
/// the three UUID arrays above all, at half of the click writer's own CPU, which runs in bursts
/// that the redirects queued behind. Here each element is its length and its bytes, written
/// into a buffer reserved once. `PostgresArrayTests` holds the bytes equal to PostgresNIO's.
struct PostgresArray: PostgresDynamicTypeEncodable {
    let psqlType: PostgresDataType
    var psqlFormat: PostgresFormat { .binary }
    private let elementType: PostgresDataType
    private var elements: ByteBuffer
    private(set) var count: Int32 = 0

    private init(_ type: PostgresDataType, of elementType: PostgresDataType, reservingBytes bytes: Int) {
        self.psqlType = type
        self.elementType = elementType
        self.elements = ByteBufferAllocator().buffer(capacity: bytes)
    }

    static func uuids(capacity: Int) -> Self { Self(.uuidArray, of: .uuid, reservingBytes: capacity * 20) }
    /// `bytesEach`: a guess at the usual element's length; longer ones grow the buffer.
    static func texts(capacity: Int, bytesEach: Int) -> Self { Self(.textArray, of: .text, reservingBytes: capacity * (4 + bytesEach)) }
    static func timestamps(capacity: Int) -> Self { Self(.timestamptzArray, of: .timestamptz, reservingBytes: capacity * 12) }
    static func bools(capacity: Int) -> Self { Self(.boolArray, of: .bool, reservingBytes: capacity * 5) }
    static func bigints(capacity: Int) -> Self { Self(.int8Array, of: .int8, reservingBytes: capacity * 12) }

    mutating func append(_ uuid: UUID) {
        elements.writeInteger(Int32(16))
        withUnsafeBytes(of: uuid.uuid) { _ = elements.writeBytes($0) }
        count += 1
    }

    mutating func append(_ text: String) {
        elements.writeInteger(Int32(text.utf8.count))
        elements.writeString(text)
        count += 1
    }

    /// Microseconds since 2000-01-01 UTC, truncated, exactly as PostgresNIO encodes a `Date`.
    mutating func append(_ date: Date) {
        elements.writeInteger(Int32(8))
        elements.writeInteger(Int64(date.timeIntervalSince(Self.postgresEpoch) * 1_000_000))
        count += 1
    }

    mutating func append(_ flag: Bool) {
        elements.writeInteger(Int32(1))
        elements.writeInteger(UInt8(flag ? 1 : 0))
        count += 1
    }

    mutating func append(_ number: Int64) {
        elements.writeInteger(Int32(8))
        elements.writeInteger(number)
        count += 1
    }

    static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        // Dimensions (none for an empty array, as PostgreSQL writes it), no nulls, element type.
        buffer.writeInteger(Int32(count == 0 ? 0 : 1))
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(elementType.rawValue)
        guard count > 0 else { return }
        buffer.writeInteger(count)
        buffer.writeInteger(Int32(1))  // lower bound
        buffer.writeImmutableBuffer(elements)
    }
}
