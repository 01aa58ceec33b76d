import Foundation
import NIOCore
import PostgresNIO
@testable import TandemStore
import Testing

/// The click writer's hand-filled arrays must be byte for byte what PostgresNIO sends for the
/// same Swift arrays (which the suite on PostgreSQL shows the server reads back right).
@Suite struct PostgresArrayTests {
    static func bound(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> (PostgresDataType, [UInt8]) {
        var buffer = ByteBuffer()
        try value.encode(into: &buffer, context: .default)
        #expect(value.psqlFormat == .binary)
        return (value.psqlType, Array(buffer.readableBytesView))
    }

    static func expectSame(_ ours: PostgresArray, _ theirs: some PostgresThrowingDynamicTypeEncodable) throws {
        let (ourType, ourBytes) = try bound(ours)
        let (theirType, theirBytes) = try bound(theirs)
        #expect(ourType == theirType)
        #expect(ourBytes == theirBytes)
    }

    @Test func eachElementTypeMatchesPostgresNIOsEncoding() throws {
        let uuids = [UUID(), UUID(uuidString: "8184D9F1-9F26-421B-BF5B-6EDE816A86C9")!, UUID()]
        var ourUUIDs = PostgresArray.uuids(capacity: 1)  // grows past its reservation
        uuids.forEach { ourUUIDs.append($0) }
        try Self.expectSame(ourUUIDs, uuids)

        let texts = ["", "0123456789abcdef0123456789abcdef", "2026-12-07", "naïve ✓", String(repeating: "x", count: 300)]
        var ourTexts = PostgresArray.texts(capacity: 2, bytesEach: 4)
        texts.forEach { ourTexts.append($0) }
        try Self.expectSame(ourTexts, texts)

        // Before and after 2000-01-01, with fractions of a microsecond that must truncate alike.
        let dates = [Date(timeIntervalSince1970: 1_795_305_600.250_000_7), Date(timeIntervalSince1970: 12.345_678_9), Date(timeIntervalSince1970: 946_684_800)]
        var ourDates = PostgresArray.timestamps(capacity: 3)
        dates.forEach { ourDates.append($0) }
        try Self.expectSame(ourDates, dates)

        let flags = [true, false, true]
        var ourFlags = PostgresArray.bools(capacity: 3)
        flags.forEach { ourFlags.append($0) }
        try Self.expectSame(ourFlags, flags)

        let numbers: [Int64] = [0, -1, .max, 42]
        var ourNumbers = PostgresArray.bigints(capacity: 4)
        numbers.forEach { ourNumbers.append($0) }
        try Self.expectSame(ourNumbers, numbers)
        #expect(ourNumbers.count == 4)
    }

    @Test func anEmptyArrayHasNoDimensions() throws {
        try Self.expectSame(PostgresArray.uuids(capacity: 10), [UUID]())
        try Self.expectSame(PostgresArray.texts(capacity: 0, bytesEach: 0), [String]())
        let (_, bytes) = try Self.bound(PostgresArray.bools(capacity: 0))
        // ndim 0, no nulls, element type bool (16): nothing else.
        #expect(bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16])
    }
}
