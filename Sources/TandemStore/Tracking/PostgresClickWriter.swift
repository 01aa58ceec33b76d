import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// The click writer for PostgreSQL: each table gets one statement per flush whose rows
/// arrive as a handful of binary arrays (`INSERT … SELECT unnest($1::uuid[]), unnest(…), …`).
///
/// The arrays are unnested in the select list, where PostgreSQL (10 and later) steps them in
/// lockstep row by row, rather than as `FROM unnest($1, $2, …)`, which first copies every row
/// into a tuplestore (a profile of the database during the benchmark found it next after the
/// index inserts). Measured with `Benchmarks/redirect-ab` on PostgreSQL, 14 pairs each order:
/// 1.022 and 1/0.983 of the other form's throughput.
///
/// Why not SQLKit's multi-row `VALUES`: at 15k clicks a second a flush carries about 4,000
/// clicks, which SQLKit sends as eight statements of 3,500 parameters each, every value
/// encoded through `Encodable` here and parsed and planned there. On the 2-core machines
/// we measure on, the database's share of that came out of the redirect's own throughput
/// (the redirect benchmark on PostgreSQL stood at about 70 % of the bare route). Here the
/// arrays are filled in their wire form (`PostgresArray`) and the server parses at most three
/// short statements: the ledger's is left out when every triple of the flush is known. The
/// rows are the same as SQLKit writes; the suite runs on PostgreSQL through this writer and
/// `ClickWriterTests` compares it with SQLKit's.
enum PostgresClickWriter {
    /// Nil, having written nothing, when the database is not PostgreSQL. Otherwise, as SQLite's
    /// writer: the triples the ledger holds now that the batch has committed. `known` are triples
    /// it is known to hold already, whose clicks are not unique without asking it again.
    static func write(
        _ batch: [RecordedClick], known: Set<ClickRecorder.UniqueKey> = [], on database: any Database, logger: Logger
    ) async throws -> Set<ClickRecorder.UniqueKey>? {
        guard let postgres = database as? any PostgresDatabase else { return nil }
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await Transaction(connection: connection, logger: logger).write(batch, known: known)
            }
        }.get()
    }

    struct Transaction {
        let connection: PostgresConnection
        let logger: Logger

        /// The statements are built (keys hashed, arrays filled and encoded: milliseconds for a
        /// flush of 10,000 clicks) on NIO's thread pool, as the SQLite writer's work is. On the
        /// cooperative pool they held one of the threads that run the redirects, and every
        /// redirect queued behind that flush waited for it.
        func write(_ batch: [RecordedClick], known: Set<ClickRecorder.UniqueKey>) async throws -> Set<ClickRecorder.UniqueKey> {
            let ledger = try await NIOThreadPool.singleton.runIfActive { Ledger(batch, known: known) }
            try await connection.query("BEGIN", logger: logger)
            do {
                var fresh = Set<ClickRecorder.UniqueKey>()
                if let query = ledger.query {
                    for try await key in try await connection.query(query, logger: logger).decode(Int64.self) {
                        if let triple = ledger.byKey[key] { fresh.insert(triple) }
                    }
                }
                let (clicks, rollups) = try await NIOThreadPool.singleton.runIfActive { [fresh] in
                    let rows = ledger.rows(batch, fresh: fresh)
                    return (Self.insertClicks(rows), Self.addToRollups(rows))
                }
                try await connection.query(clicks, logger: logger)
                try await connection.query(rollups, logger: logger)
                try await connection.query("COMMIT", logger: logger)
                return ledger.asked
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }

        /// Inserts the keys (`UniqueKey.ledgerKey`) of the batch's (link, day, visitor) triples not in
        /// `known` and answers the triples whose keys the ledger did not hold before (its primary key
        /// decides, across nodes too). A triple in
        /// `known` is in the ledger already (rows there are never deleted), so its clicks are repeats.
        struct Ledger: Sendable {
            let keys: [ClickRecorder.UniqueKey]
            /// The triples asked about; nil when every triple of the batch is known.
            let query: PostgresQuery?
            let asked: Set<ClickRecorder.UniqueKey>
            /// Each ledger key asked about, and the first triple of the batch with it (a second
            /// triple with the same key counts as a repeat, as on SQLite).
            let byKey: [Int64: ClickRecorder.UniqueKey]

            init(_ batch: [RecordedClick], known: Set<ClickRecorder.UniqueKey>) {
                var seen = Set<ClickRecorder.UniqueKey>()
                var byKey: [Int64: ClickRecorder.UniqueKey] = [:]
                var dayText = ClickDay.Memo()
                keys = batch.map { ClickRecorder.UniqueKey(linkID: $0.linkID, day: dayText.string($0.at), visitor: $0.visitor) }
                for key in keys {
                    guard !known.contains(key), seen.insert(key).inserted else { continue }
                    let ledgerKey = key.ledgerKey
                    if byKey[ledgerKey] == nil { byKey[ledgerKey] = key }
                }
                var ledgerKeys = PostgresArray.bigints(capacity: byKey.count)
                for key in byKey.keys { ledgerKeys.append(key) }
                asked = seen
                self.byKey = byKey
                query = seen.isEmpty ? nil : """
                    INSERT INTO click_unique_keys (key) SELECT unnest(\(ledgerKeys)::bigint[])
                    ON CONFLICT (key) DO NOTHING
                    RETURNING key
                    """
            }

            /// Per click, whether it is the first of a triple new to the ledger.
            func rows(_ batch: [RecordedClick], fresh: Set<ClickRecorder.UniqueKey>) -> [(RecordedClick, Bool)] {
                // Most flushes find nothing new: no set to ask.
                guard !fresh.isEmpty else { return batch.map { ($0, false) } }
                var fresh = fresh
                return zip(batch, keys).map { click, key in (click, fresh.remove(key) != nil) }
            }
        }

        static func insertClicks(_ rows: [(RecordedClick, Bool)]) -> PostgresQuery {
            let count = rows.count
            var ids = PostgresArray.texts(capacity: count, bytesEach: 32), links = PostgresArray.uuids(capacity: count)
            var partnerships = PostgresArray.uuids(capacity: count), programs = PostgresArray.uuids(capacity: count)
            var visitors = PostgresArray.texts(capacity: count, bytesEach: 32), times = PostgresArray.timestamps(capacity: count)
            var unique = PostgresArray.bools(capacity: count)
            for (click, isUnique) in rows {
                ids.append(click.id); links.append(click.linkID); partnerships.append(click.partnershipID)
                programs.append(click.programID); visitors.append(click.visitor); times.append(click.at)
                unique.append(isUnique)
            }
            return """
                INSERT INTO clicks (id, link_id, partnership_id, program_id, visitor, clicked_at, is_unique)
                SELECT unnest(\(ids)::text[]), unnest(\(links)::uuid[]), unnest(\(partnerships)::uuid[]), unnest(\(programs)::uuid[]),
                       unnest(\(visitors)::text[]), unnest(\(times)::timestamptz[]), unnest(\(unique)::boolean[])
                """
        }

        static func addToRollups(_ rows: [(RecordedClick, Bool)]) -> PostgresQuery {
            let totals = ClickRecorder.dailyTotals(rows)
            var links = PostgresArray.uuids(capacity: totals.count), partnerships = PostgresArray.uuids(capacity: totals.count)
            var programs = PostgresArray.uuids(capacity: totals.count), days = PostgresArray.texts(capacity: totals.count, bytesEach: 10)
            var clicks = PostgresArray.bigints(capacity: totals.count), uniques = PostgresArray.bigints(capacity: totals.count)
            for (key, total) in totals {
                links.append(key.linkID); partnerships.append(total.partnershipID); programs.append(total.programID)
                days.append(key.day); clicks.append(total.clicks); uniques.append(total.unique)
            }
            return """
                INSERT INTO click_daily (link_id, partnership_id, program_id, day, clicks, unique_clicks)
                SELECT unnest(\(links)::uuid[]), unnest(\(partnerships)::uuid[]), unnest(\(programs)::uuid[]),
                       unnest(\(days)::text[]), unnest(\(clicks)::bigint[]), unnest(\(uniques)::bigint[])
                ON CONFLICT (link_id, day) DO UPDATE SET
                    clicks = click_daily.clicks + excluded.clicks,
                    unique_clicks = click_daily.unique_clicks + excluded.unique_clicks
                """
        }
    }
}
