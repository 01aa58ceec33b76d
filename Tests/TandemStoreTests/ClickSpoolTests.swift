import Foundation
import SQLKit
@testable import TandemStore
import TandemTestSupport
import Testing

/// The click spool: what a node answered is on disk until its batch commits, and what a dead
/// node left is written once at the next start, never a live node's.
@Suite struct ClickSpoolTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func files(_ folder: String, _ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// The segments that hold a line: a replay would read something from them.
    static func holding(_ folder: String) throws -> [String] {
        try files(folder, ".spool").filter { name in
            try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)).contains { $0 != 0 }
        }
    }

    struct Row: Decodable { let id: String }
    static func storedIDs(_ store: Store) async throws -> [String] {
        try await store.sql.raw("SELECT id FROM clicks ORDER BY id").all(decoding: Row.self).map(\.id)
    }

    @Test func aClickIsSpooledBeforeItIsWrittenAndItsSegmentIsEmptiedAndReusedWhenItCommits() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store, spool: try ClickSpool(directory: folder))
            let click = ClickWriterTests.click(1, ClickWriterTests.linkA, "v1", ClickWriterTests.day1)
            recorder.record(click)
            let segments = try Self.files(folder, ".spool")
            #expect(segments.count == 1)
            let text = try String(contentsOfFile: folder + "/" + segments[0], encoding: .utf8)
            // The open segment holds the line, then the zero bytes reserved for the next ones.
            let lines = text.split(separator: "\n")
            #expect(lines.count == 2 && lines[1].allSatisfy { $0 == "\0" })
            #expect(ClickSpool.click(from: lines[0]) == click, "the line reads back as the same click")
            try await recorder.flush()
            #expect(try await Self.storedIDs(store) == [click.id])
            // A committed batch's segment is emptied (nothing left to replay) and kept for reuse; the
            // flush readied the next segment, off the redirect's path, and it holds no click yet.
            let left = try Self.files(folder, ".spool")
            try #require(left.count == 2 && left.contains(segments[0]))
            #expect(try Self.holding(folder).isEmpty, "a committed batch's lines are gone")
            let readied = try #require(left.first { $0 != segments[0] })
            // The next click goes to the readied segment (no file is opened under the recorder's lock).
            let second = ClickWriterTests.click(2, ClickWriterTests.linkB, "v2", ClickWriterTests.day1)
            recorder.record(second)
            #expect(try Self.files(folder, ".spool") == left)
            #expect(try Self.holding(folder) == [readied])
            let written = try String(contentsOfFile: folder + "/" + readied, encoding: .utf8).split(separator: "\n")
            #expect(ClickSpool.click(from: written[0]) == second)
            // The next flush swaps the two: the emptied first segment takes the clicks after it, and
            // no file is made or deleted.
            try await recorder.flush()
            #expect(try Self.holding(folder).isEmpty)
            let third = ClickWriterTests.click(3, ClickWriterTests.linkB, "v3", ClickWriterTests.day1)
            recorder.record(third)
            #expect(try Self.files(folder, ".spool") == left)
            #expect(try Self.holding(folder) == [segments[0]])
            let reused = try String(contentsOfFile: folder + "/" + segments[0], encoding: .utf8).split(separator: "\n")
            #expect(ClickSpool.click(from: reused[0]) == third, "the reused segment starts with the new line")
            #expect(reused.count == 2 && reused[1].allSatisfy { $0 == "\0" }, "and holds nothing of the old one after it")
            try await recorder.flush()
            #expect(try await Self.storedIDs(store) == [click.id, second.id, third.id].sorted())
        }
    }

    @Test func aCleanStopLeavesTheSpoolEmpty() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store, interval: .seconds(60), spool: try ClickSpool(directory: folder))
            recorder.record(ClickWriterTests.click(1, ClickWriterTests.linkA, "v1", ClickWriterTests.day1))
            try await recorder.flush()  // readies a segment no click reaches before the stop
            recorder.record(ClickWriterTests.click(2, ClickWriterTests.linkB, "v2", ClickWriterTests.day1))
            let running = Task { try await recorder.run() }
            running.cancel()  // the stop: a last flush, then the spool is tidied
            try await running.value
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing left to replay, not even the readied segment or the lock")
            #expect(try await Self.storedIDs(store).count == 2)
        }
    }

    @Test func aLineIsFormattedAsTheUUIDStringsWouldSpellIt() throws {
        let click = RecordedClick(id: "019ae4c1b2a3f00112233445566778899", linkID: UUID(), partnershipID: UUID(), programID: UUID(),
                                  visitor: "0123456789abcdef0123456789abcdef", at: Date(timeIntervalSince1970: 1_764_780_123.456789))
        let expected = click.id + "\t" + click.linkID.uuidString + "\t" + click.partnershipID.uuidString + "\t" + click.programID.uuidString
            + "\t" + click.visitor + "\t" + String(click.at.timeIntervalSince1970) + "\n"
        #expect(ClickSpool.line(click) == expected)
        #expect(ClickSpool.click(from: ClickSpool.line(click).dropLast()) == click)
    }

    @Test func aBatchsDaysAreTheDaysOfItsClicksAcrossMidnight() {
        var days = ClickDay.Memo()
        let midnight = Date(timeIntervalSince1970: 1_764_720_000)  // 2025-12-03T00:00:00Z
        #expect(days.string(midnight.addingTimeInterval(-0.001)) == "2025-12-02")
        #expect(days.string(midnight) == "2025-12-03")
        #expect(days.string(midnight.addingTimeInterval(-1)) == "2025-12-02")
        #expect(days.string(midnight.addingTimeInterval(86_399.9)) == ClickDay.string(midnight.addingTimeInterval(86_399.9)))
    }

    @Test func aFailedBatchKeepsItsSegmentUntilALaterBatchCommits() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store, spool: try ClickSpool(directory: folder))
            let first = ClickWriterTests.click(1, ClickWriterTests.linkA, "v1", ClickWriterTests.day1)
            recorder.record(first)
            try await recorder.flush()
            recorder.record(ClickWriterTests.click(2, ClickWriterTests.linkB, "v9", ClickWriterTests.day1))
            recorder.record(first)  // a repeated id fails the batch
            let failing = try Self.holding(folder)
            try #require(failing.count == 1)
            await #expect(throws: (any Error).self) { try await recorder.flush() }
            let after = try Self.files(folder, ".spool")
            #expect(try Self.holding(folder) == failing, "the failed batch's clicks stay on disk")
            #expect(after.count == 2, "beside the segment readied for the next clicks")
            recorder.record(ClickWriterTests.click(3, ClickWriterTests.linkB, "v9", ClickWriterTests.day1))
            #expect(try Self.files(folder, ".spool") == after, "the next click goes to the readied segment")
            #expect(try Self.holding(folder).count == 2)
        }
    }

    /// A database outage seals a segment every flush: the first ones stay open for reuse, the
    /// rest are closed (no descriptor or mapping held per flush), and every one keeps its clicks
    /// until the batch holding them commits; then the open ones are emptied for reuse and the
    /// closed ones deleted.
    @Test func anOutagesSegmentsKeepTheirClicksAndAreTidiedWhenTheBatchCommits() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store, spool: try ClickSpool(directory: folder))
            recorder.record(ClickWriterTests.click(0, ClickWriterTests.linkA, "v0", ClickWriterTests.day1))
            try await recorder.flush()
            try await store.sql.raw("ALTER TABLE clicks RENAME TO clicks_away").run()
            for n in 1...5 {
                recorder.record(ClickWriterTests.click(n, ClickWriterTests.linkA, "v\(n)", ClickWriterTests.day1))
                await #expect(throws: (any Error).self) { try await recorder.flush() }
            }
            #expect(try Self.holding(folder).count == 5, "each failed flush's clicks are on disk")
            try await store.sql.raw("ALTER TABLE clicks_away RENAME TO clicks").run()
            try await recorder.flush()
            #expect(try await Self.storedIDs(store).count == 6)
            #expect(try Self.holding(folder).isEmpty, "nothing left to replay")
            #expect(try Self.files(folder, ".spool").count == 3, "two emptied segments kept for reuse and the one new clicks go to")
        }
    }

    @Test func aDeadNodesClicksAreWrittenOnceAndALiveNodesAreLeftAlone() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.withStore { store in
            let written = ClickWriterTests.click(1, ClickWriterTests.linkA, "v1", ClickWriterTests.day1)
            let lost = ClickWriterTests.click(2, ClickWriterTests.linkA, "v2", ClickWriterTests.day1)
            try await ClickRecorder(store: store).write([written])
            // A node that died: its lock file is held by nobody; its segment holds a click already
            // committed, one that is not, and a line a lost machine cut short.
            FileManager.default.createFile(atPath: folder + "/dead.lock", contents: Data())
            let lines = ClickSpool.line(written) + ClickSpool.line(lost) + String(ClickSpool.line(lost).prefix(20))
            FileManager.default.createFile(atPath: folder + "/dead-1.spool", contents: Data(lines.utf8))
            // A node still running, with a click not yet flushed.
            let live = ClickRecorder(store: store, spool: try ClickSpool(directory: folder))
            let pending = ClickWriterTests.click(3, ClickWriterTests.linkB, "v3", ClickWriterTests.day1)
            live.record(pending)

            let starting = ClickRecorder(store: store, spool: try ClickSpool(directory: folder))
            #expect(try await starting.recoverSpool() == 1)
            #expect(try await Self.storedIDs(store) == [written.id, lost.id])
            #expect(!(try Self.files(folder, ".spool").contains("dead-1.spool")))
            #expect(!(try Self.files(folder, ".lock").contains("dead.lock")))
            #expect(try Self.files(folder, ".spool").count == 1, "the live node's segment is its own")
            // Replaying again finds nothing: the rollups count the lost click once.
            #expect(try await ClickRecorder(store: store, spool: try ClickSpool(directory: folder)).recoverSpool() == 0)
            struct Daily: Decodable { let clicks: Int64 }
            let daily = try await store.sql.raw("SELECT clicks FROM click_daily").all(decoding: Daily.self)
            #expect(daily.map(\.clicks) == [2])
            try await live.flush()
            #expect(try await Self.storedIDs(store) == [written.id, lost.id, pending.id])
        }
    }

    /// A segment starts with 4 MB reserved and grows when a batch outlasts it; closed, it holds
    /// exactly its lines.
    @Test func aSegmentGrowsPastItsFirstReservationAndKeepsEveryLine() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spool = try ClickSpool(directory: folder)
        var segment = try spool.openSegment(1)
        let lines = (0..<40_000).map { n in
            ClickSpool.line(ClickWriterTests.click(n, ClickWriterTests.linkA, "v\(n)", ClickWriterTests.day1))
        }
        for line in lines { try spool.append(line, to: &segment) }
        #expect(segment.capacity > ClickSpool.initialCapacity, "the batch outgrew the first reservation")
        spool.close(segment)
        let text = try String(contentsOfFile: segment.path, encoding: .utf8)
        #expect(text == lines.joined())
    }
}
