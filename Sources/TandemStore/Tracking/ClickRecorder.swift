import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SQLKit
import Synchronization

/// One counted click, as the redirect saw it.
public struct RecordedClick: Sendable, Equatable {
    public let id: String
    public let linkID: UUID
    public let partnershipID: UUID
    public let programID: UUID
    /// Opaque visitor id (the `tdm_vid` cookie, or a keyed hash of IP and user agent).
    public let visitor: String
    public let at: Date

    public init(id: String, linkID: UUID, partnershipID: UUID, programID: UUID, visitor: String, at: Date) {
        self.id = id
        self.linkID = linkID
        self.partnershipID = partnershipID
        self.programID = programID
        self.visitor = visitor
        self.at = at
    }

    /// The UTC calendar day, which is what "unique per day" and the rollups mean.
    public var day: String { ClickDay.string(at) }
}

/// Batches clicks in memory and writes them every `interval` (250 ms by default), so
/// the redirect never waits on the database.
///
/// A flush writes, in one database transaction (`SQLiteClickWriter` on SQLite,
/// `PostgresClickWriter` on PostgreSQL): the raw clicks, the per-day uniqueness ledger (`click_unique_keys`,
/// whose primary key decides uniqueness even across server nodes) and the daily
/// rollups (`click_daily`) that pages read.
/// On graceful shutdown (SIGTERM) it flushes what is left. With a `ClickSpool`, each click is
/// also appended to a file before its answer goes out, so a SIGKILL loses none: the next
/// start replays what the database did not get (`recoverSpool`).
public final class ClickRecorder: Service, Sendable {
    let store: Store
    let interval: Duration
    let logger: Logger
    let spool: ClickSpool?
    private let buffer = Mutex(Pending())

    /// The clicks not yet written, and when the oldest of them was answered; with a spool, the
    /// segment new clicks go to, the sealed ones whose clicks are not yet committed, and the
    /// emptied ones kept for reuse.
    private struct Pending {
        var clicks: [RecordedClick] = []
        var since: ContinuousClock.Instant?
        var segment: ClickSpool.Segment?
        var segmentNumber = 0
        var sealed: [Sealed] = []
        var free: [ClickSpool.Segment] = []
        var spoolFailures = 0

        mutating func add(_ click: RecordedClick) {
            if clicks.isEmpty { since = .now }
            clicks.append(click)
        }
    }
    /// Flushes are serialised so two never race over the same rollup rows in one process.
    private let flushing = AsyncMutex()

    /// A segment whose clicks are in a batch not yet committed. The first few stay open, to be
    /// emptied and reused once their batch commits; past that (a database outage seals one
    /// every flush) they are closed, so an outage holds no descriptor or mapping per flush.
    private enum Sealed {
        case open(ClickSpool.Segment)
        case closed(path: String)

        var path: String {
            switch self {
            case .open(let segment): segment.path
            case .closed(let path): path
            }
        }
    }

    /// Sealed segments kept open, and emptied segments kept for reuse. Two of each are enough:
    /// flushes are serialised, so in steady state one segment takes clicks while the other's
    /// batch commits, and the two swap at each flush.
    static let openSealedLimit = 2
    static let freeLimit = 2

    public init(store: Store, interval: Duration = .milliseconds(250), logger: Logger = Logger(label: "tandem.clicks"), spool: ClickSpool? = nil) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.spool = spool
    }

    /// Cheap enough for the hot path: an append under a lock (and, with a spool, a copy into the
    /// mapped segment under the same lock, so a click is in the segment exactly when it is in the buffer).
    public func record(_ click: RecordedClick) {
        guard let spool else {
            buffer.withLock { $0.add(click) }
            return
        }
        // The line is formatted before the lock: only the copy into the segment needs to be inside it.
        ClickSpool.withLine(click) { line in
            buffer.withLock { pending in
                pending.add(click)
                do {
                    if pending.segment == nil {
                        pending.segmentNumber += 1
                        pending.segment = try spool.openSegment(pending.segmentNumber)
                    }
                    try spool.append(line, to: &pending.segment!)
                } catch {
                    // The click still counts from memory; only its protection from a crash is gone (logged at the flush).
                    pending.spoolFailures += 1
                }
            }
        }
    }

    public var pendingCount: Int { buffer.withLock { $0.clicks.count } }

    public func run() async throws {
        // Flushes keep to a fixed beat: sleeping a whole interval after each write would
        // add the write's own duration to how long a click waits (and a SIGKILL could lose).
        let clock = ContinuousClock()
        var next = clock.now.advanced(by: interval)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let deadline = next
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: deadline, clock: clock) }
            await flushLogged()
            next = max(next.advanced(by: interval), clock.now)
        }
        // Requests already answered must reach the database before the process exits.
        await flushLogged()
        // All written: this node leaves nothing for the next start to replay (a segment prepared
        // for clicks that never came is empty).
        if let spool {
            let (written, empty) = buffer.withLock { pending -> (Bool, [ClickSpool.Segment]) in
                // Emptied segments hold nothing to replay, whatever else is left.
                var empty = pending.free
                pending.free = []
                guard pending.clicks.isEmpty, pending.sealed.isEmpty else { return (false, empty) }
                if let readied = pending.segment { empty.append(readied) }
                pending.segment = nil
                return (true, empty)
            }
            for segment in empty { spool.discard(segment) }
            if written { spool.removeOwnLock() }
        }
    }

    /// Writes the clicks that nodes which died left in the spool, except those the database
    /// already has (their batch committed before the segment was deleted). Run before serving.
    @discardableResult
    public func recoverSpool() async throws -> Int {
        guard let spool else { return 0 }
        let orphans = try spool.orphans()
        var missing: [RecordedClick] = []
        for chunk in orphans.clicks.chunked(Self.rowsPerStatement) {
            let known = try await ClickQueries.existingIDs(chunk.map(\.id), on: store.sql)
            missing += chunk.filter { !known.contains($0.id) }
        }
        var seen = Set<String>()
        missing = missing.filter { seen.insert($0.id).inserted }
        if !missing.isEmpty { try await write(missing) }
        spool.finishRecovery(paths: orphans.paths, locks: orphans.locks)
        if !orphans.clicks.isEmpty {
            logger.notice("replayed the click spool", metadata: ["spooled": .stringConvertible(orphans.clicks.count), "written": .stringConvertible(missing.count)])
        }
        return missing.count
    }

    func flushLogged() async {
        do {
            try await flush()
        } catch {
            logger.error("click flush failed; will retry", metadata: ["error": .string(String(describing: error)), "pending": .stringConvertible(pendingCount)])
        }
    }

    /// Writes every buffered click now. On failure the clicks go back in the buffer.
    public func flush() async throws {
        try await flushing.withLock {
            // The next segment is opened and made writable here, outside the lock every redirect
            // takes: the first click after the swap opened it, and each click that reached a new
            // page faulted it in, under that lock. Measured on SQLite (`perf stat` during the
            // redirect benchmark's load): the server's context switches fell by a fifth to two
            // fifths; its throughput gain was inside this machine's noise.
            var next = prepareNextSegment()
            var toClose: ClickSpool.Segment?
            let (batch, since, sealed, spoolFailures) = buffer.withLock { pending -> ([RecordedClick], ContinuousClock.Instant?, Set<String>, Int) in
                defer {
                    pending.clicks.removeAll(keepingCapacity: true)
                    pending.since = nil
                    pending.spoolFailures = 0
                }
                // The segment holding these clicks is sealed with them; new clicks go to the next one.
                if let segment = pending.segment, segment.used > 0 {
                    let open = pending.sealed.filter { if case .open = $0 { true } else { false } }.count
                    if open < Self.openSealedLimit {
                        pending.sealed.append(.open(segment))
                    } else {
                        toClose = segment
                        pending.sealed.append(.closed(path: segment.path))
                    }
                    pending.segment = next
                    next = nil
                }
                return (pending.clicks, pending.since, Set(pending.sealed.map(\.path)), pending.spoolFailures)
            }
            if let spool {
                // Out of the lock: unmapping and truncating are system calls the redirects need not wait for.
                if let toClose { spool.close(toClose) }
                if let next { keepForReuse([next], spool: spool) }
            }
            if spoolFailures > 0 {
                logger.error("clicks could not be spooled (a crash now would lose them)", metadata: ["clicks": .stringConvertible(spoolFailures)])
            }
            guard !batch.isEmpty else { return }
            do {
                try await write(batch)
                store.noteWriteSucceeded()
                if let since { recordLag(since.duration(to: .now)) }
                // Every sealed segment's clicks were in this batch (a failed batch comes back to the buffer).
                if let spool, !sealed.isEmpty {
                    let done = buffer.withLock { pending -> [Sealed] in
                        let done = pending.sealed.filter { sealed.contains($0.path) }
                        pending.sealed.removeAll { sealed.contains($0.path) }
                        return done
                    }
                    var emptied: [ClickSpool.Segment] = []
                    for segment in done {
                        switch segment {
                        case .open(var segment):
                            spool.empty(&segment)
                            emptied.append(segment)
                        case .closed(let path):
                            spool.remove(path)
                        }
                    }
                    keepForReuse(emptied, spool: spool)
                }
            } catch {
                store.noteWriteFailure(error)
                buffer.withLock { pending in
                    pending.clicks.insert(contentsOf: batch, at: 0)
                    pending.since = since ?? pending.since
                }
                throw error
            }
        }
    }

    /// A segment for the clicks after this flush, when the current one holds clicks, with as many
    /// bytes made writable as the last segment took, and half again: an emptied one when there is
    /// one, else a new file.
    ///
    /// Why reuse: a new segment per flush (create, reserve, map, then unmap, truncate and delete
    /// after its commit) cost the redirect about 4 % of its throughput on SQLite, measured
    /// against a segment that was never sealed (`Benchmarks/redirect-ab`, 12 pairs); the copy
    /// into the mapping itself about 1 %.
    private func prepareNextSegment() -> ClickSpool.Segment? {
        guard let spool else { return nil }
        enum Source { case reused(ClickSpool.Segment), new(number: Int) }
        let reserved = buffer.withLock { pending -> (source: Source, used: Int)? in
            guard let used = pending.segment?.used, used > 0 else { return nil }
            if let reused = pending.free.popLast() { return (.reused(reused), used) }
            pending.segmentNumber += 1
            return (.new(number: pending.segmentNumber), used)
        }
        guard let reserved else { return nil }
        let prefault = reserved.used + reserved.used / 2
        switch reserved.source {
        case .reused(let segment):
            spool.prefault(segment, length: prefault)
            return segment
        case .new(let number):
            // A failure here is not the click's: the first click after the swap opens one as before.
            return try? spool.openSegment(number, prefault: prefault)
        }
    }

    /// Emptied segments (all zero bytes, nothing to replay) kept for the next flushes; past
    /// `freeLimit`, deleted.
    private func keepForReuse(_ segments: [ClickSpool.Segment], spool: ClickSpool) {
        guard !segments.isEmpty else { return }
        let extra = buffer.withLock { pending -> [ClickSpool.Segment] in
            var extra: [ClickSpool.Segment] = []
            for segment in segments {
                if pending.free.count < Self.freeLimit { pending.free.append(segment) } else { extra.append(segment) }
            }
            return extra
        }
        for segment in extra { spool.discard(segment) }
    }

    /// How long the oldest click of a batch waited, from its answer to its commit: what a
    /// SIGKILL could have lost. The benchmark reads the largest from `/metrics`.
    private let worstLag = Mutex<Double>(0)
    private let lagGauge = Gauge(label: "tandem_click_flush_lag_max_seconds")

    private func recordLag(_ wait: Duration) {
        let lag = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let worst = worstLag.withLock { worst -> Double? in
            guard lag > worst else { return nil }
            worst = lag
            return lag
        }
        if let worst { lagGauge.record(worst) }
    }

    static let rowsPerStatement = 500

    /// (link, day, visitor) triples this node saw committed to the ledger: a visitor who
    /// clicks a link again the same day is not unique, and the ledger need not be asked (which
    /// was a fifth of the SQLite writer's work; on PostgreSQL, a statement probing the ledger's
    /// key for every triple of every flush). Bounded: emptied when it grows past `knownLimit`.
    private let knownUniques = Mutex(Set<UniqueKey>())
    static let knownLimit = 100_000

    func write(_ batch: [RecordedClick]) async throws {
        // A function of its own, so the writer's copy of the set is gone before it grows below
        // (which would otherwise copy the whole set).
        func writeFast() async throws -> Set<UniqueKey>? {
            let known = knownUniques.withLock { $0 }
            if let asked = try await SQLiteClickWriter.write(batch, known: known, on: store.db) { return asked }
            return try await PostgresClickWriter.write(batch, known: known, on: store.db, logger: logger)
        }
        if let asked = try await writeFast() {
            // Only after the commit: a rolled-back batch's triples are not in the ledger.
            knownUniques.withLock { known in
                if known.count + asked.count > Self.knownLimit { known.removeAll(keepingCapacity: true) }
                known.formUnion(asked)
            }
            return
        }
        try await writeWithSQLKit(batch)
    }

    /// The portable writer (each fast writer's reference in the tests): multi-row statements through SQLKit.
    func writeWithSQLKit(_ batch: [RecordedClick]) async throws {
        try await store.db.transaction { db in
            let sql = db as! any SQLDatabase
            let uniqueKeys = try await Self.insertUniques(batch, sql: sql)
            var seen = Set<UniqueKey>()
            var rows: [(RecordedClick, Bool)] = []
            rows.reserveCapacity(batch.count)
            for click in batch {
                let key = UniqueKey(linkID: click.linkID, day: click.day, visitor: click.visitor)
                let isNew = uniqueKeys.contains(key) && seen.insert(key).inserted
                rows.append((click, isNew))
            }
            for chunk in rows.chunked(Self.rowsPerStatement) {
                let insert = sql.insert(into: "clicks").columns("id", "link_id", "partnership_id", "program_id", "visitor", "clicked_at", "is_unique")
                for (click, isUnique) in chunk {
                    insert.values(click.id, click.linkID, click.partnershipID, click.programID, click.visitor, click.at, isUnique)
                }
                try await insert.run()
            }
            try await Self.updateRollups(rows, sql: sql)
        }
    }

    struct UniqueKey: Hashable {
        let linkID: UUID
        let day: String
        let visitor: String
    }

    struct LedgerRow: Decodable {
        let key: Int64
    }

    /// Returns the (link, day, visitor) triples that were not in the ledger before.
    static func insertUniques(_ batch: [RecordedClick], sql: any SQLDatabase) async throws -> Set<UniqueKey> {
        var candidates: [UniqueKey] = []
        var seen = Set<UniqueKey>()
        for click in batch {
            let key = UniqueKey(linkID: click.linkID, day: click.day, visitor: click.visitor)
            if seen.insert(key).inserted { candidates.append(key) }
        }
        var inserted = Set<UniqueKey>()
        for chunk in candidates.chunked(rowsPerStatement) {
            // Two triples of a batch with one key: the first is new, the second a repeat.
            var byKey: [Int64: UniqueKey] = [:]
            for key in chunk { let ledgerKey = key.ledgerKey; if byKey[ledgerKey] == nil { byKey[ledgerKey] = key } }
            let insert = sql.insert(into: "click_unique_keys").columns("key")
            for key in byKey.keys { insert.values(key) }
            let rows = try await insert.ignoringConflicts(with: ["key"]).returning("key").all(decoding: LedgerRow.self)
            for row in rows { if let key = byKey[row.key] { inserted.insert(key) } }
        }
        return inserted
    }

    struct RollupKey: Hashable {
        let linkID: UUID
        let day: String
    }

    typealias DailyTotal = (partnershipID: UUID, programID: UUID, clicks: Int64, unique: Int64)

    /// What a batch adds to `click_daily`: one increment per (link, day), for both writers.
    static func dailyTotals(_ rows: [(RecordedClick, Bool)]) -> [RollupKey: DailyTotal] {
        var totals: [RollupKey: DailyTotal] = [:]
        var days = ClickDay.Memo()
        for (click, isUnique) in rows {
            let key = RollupKey(linkID: click.linkID, day: days.string(click.at))
            var entry = totals[key] ?? (click.partnershipID, click.programID, 0, 0)
            entry.clicks += 1
            if isUnique { entry.unique += 1 }
            totals[key] = entry
        }
        return totals
    }

    static func updateRollups(_ rows: [(RecordedClick, Bool)], sql: any SQLDatabase) async throws {
        for chunk in Array(dailyTotals(rows)).chunked(rowsPerStatement) {
            let insert = sql.insert(into: "click_daily").columns("link_id", "partnership_id", "program_id", "day", "clicks", "unique_clicks")
            for (key, value) in chunk {
                insert.values(key.linkID, value.partnershipID, value.programID, key.day, value.clicks, value.unique)
            }
            try await insert.onConflict(with: ["link_id", "day"]) { update in
                update
                    .set("clicks", to: SQLBinaryExpression(SQLColumn("clicks", table: "click_daily"), .add, SQLExcludedColumn("clicks")))
                    .set("unique_clicks", to: SQLBinaryExpression(SQLColumn("unique_clicks", table: "click_daily"), .add, SQLExcludedColumn("unique_clicks")))
            }.run()
        }
    }
}

/// "2026-11-21" in UTC, without a DateFormatter on the hot path.
public enum ClickDay {
    public static func string(_ date: Date) -> String {
        string(dayNumber: number(date))
    }

    static func number(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    static func string(dayNumber days: Int) -> String {
        let (y, m, d) = civil(fromDays: days)
        return String(y) + "-" + (m < 10 ? "0" : "") + String(m) + "-" + (d < 10 ? "0" : "") + String(d)
    }

    /// The clicks of a flush fall on one day, or two: each day's text is formatted once, not
    /// once per click (which showed in the writer's profile).
    struct Memo {
        private var number = Int.min
        private var text = ""

        mutating func string(_ date: Date) -> String {
            let day = ClickDay.number(date)
            if day != number {
                number = day
                text = ClickDay.string(dayNumber: day)
            }
            return text
        }
    }

    /// Howard Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian calendar.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

extension Array {
    /// Batches for multi-row INSERTs, which databases cap by the number of bound values.
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// A lock held across `await`: only one flush at a time.
final class AsyncMutex: Sendable {
    private let state = Mutex<(locked: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let acquired = state.withLock { state -> Bool in
                if !state.locked {
                    state.locked = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
