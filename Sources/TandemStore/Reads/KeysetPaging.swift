import FluentKit
import Foundation

extension QueryBuilder where Model.IDValue == UUID {
    /// One page of this query, newest first by `order` and then by id, read in SQL: the rows
    /// after the cursor `after` (an id this query returns, else `CompanyListReads.UnknownCursor`),
    /// at most `limit` of them, and whether more follow.
    ///
    /// Why not load the list and slice it: an API list of a partner's rewards or customers
    /// built every row as a model first (a million customers for one seeded partnership).
    public func keysetPage(
        order: KeyPath<Model, FieldProperty<Model, Date>>, after: UUID?, limit: Int
    ) async throws -> (rows: [Model], hasMore: Bool) {
        let query = copy()
        if let after {
            guard let cursor = try await copy().filter(\._$id == after).first() else { throw CompanyListReads.UnknownCursor() }
            let at = cursor[keyPath: order].value ?? Date.distantPast
            query.group(.or) { newer in
                newer.filter(order, .lessThan, at)
                newer.group(.and) { tie in tie.filter(order, .equal, at).filter(\._$id, .greaterThan, after) }
            }
        }
        let rows = try await query.sort(order, .descending).sort(\._$id, .ascending).limit(limit + 1).all()
        return (Array(rows.prefix(limit)), rows.count > limit)
    }
}
