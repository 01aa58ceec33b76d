import FluentKit
import Foundation
import SQLKit

/// The conditional UPDATE a refund makes on its payment.
public enum TransactionLedger {
    /// Adds `amount` to the payment's refunded amount unless that would pass what was paid;
    /// false when it would (another refund got there first). Call inside the refund's transaction.
    public static func addRefund(transactionID: UUID, amount: Int64, on db: any Database) async throws -> Bool {
        let updated = try await (db as! any SQLDatabase).raw("""
            UPDATE transactions SET refunded_amount = refunded_amount + \(bind: amount)
            WHERE id = \(bind: transactionID) AND refunded_amount + \(bind: amount) <= amount
            RETURNING id
            """).all()
        return updated.count == 1
    }
}
