import SQLKit

/// A column in a condition that only guards a lookup by key (`id IN (…) AND dispatched_at IS
/// NULL`): the planner must find the rows by key, not by this column.
///
/// Why: SQLite without statistics guesses that `col IS NULL` or `col = ?` on an indexed column
/// matches about ten rows, and next to 500 ids it walks that index instead — every pending
/// event, every unclaimed reward, for each batch of 500. Draining 400,000 outbox events took ten
/// minutes that way. SQLite's no-op unary plus (`+col`) takes the column out of index choice.
/// PostgreSQL plans from its statistics and has no unary plus for text or timestamps, so there
/// the column is written plainly.
public struct GuardColumn: SQLExpression {
    let name: String

    public init(_ name: String) { self.name = name }

    public func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "sqlite" { serializer.write("+") }
        SQLColumn(name).serialize(to: &serializer)
    }
}
