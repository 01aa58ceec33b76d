import Foundation
import Hummingbird

/// `?limit=` (1–250, default 25) and `?starting_after=ID`; answers are `{"data": [...], "has_more": …}`, newest first.
struct PageRequest {
    let limit: Int
    let startingAfter: UUID?

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        if let raw = query["limit"] {
            guard let value = Int(String(raw)), (1...250).contains(value) else {
                throw APIError.invalid("limit", "`limit` must be a whole number from 1 to 250.")
            }
            limit = value
        } else {
            limit = 25
        }
        if let raw = query["starting_after"] {
            guard let id = UUID(uuidString: String(raw)) else { throw APIError.invalid("starting_after", "`starting_after` must be an id from a previous page.") }
            startingAfter = id
        } else {
            startingAfter = nil
        }
    }

    /// Pages an already-sorted (newest first) list of items by id.
    func page<T>(_ items: [T], id: (T) -> UUID?) throws -> ListPage<T> {
        var start = items.startIndex
        if let startingAfter {
            guard let index = items.firstIndex(where: { id($0) == startingAfter }) else {
                // An id that is not (or no longer) in the list: not found, like any id that is not yours.
                throw APIError(status: .notFound, code: "not_found", message: "`starting_after` is not an id in this list.", field: "starting_after")
            }
            start = index + 1
        }
        let slice = Array(items[start...].prefix(limit))
        return ListPage(data: slice, hasMore: items.count - start > limit)
    }
}

struct ListPage<T> {
    let data: [T]
    let hasMore: Bool

    func map<U>(_ transform: (T) throws -> U) rethrows -> ListPage<U> {
        ListPage<U>(data: try data.map(transform), hasMore: hasMore)
    }
}

extension ListPage {
    func asyncMap<U>(_ transform: (T) async throws -> U) async rethrows -> ListPage<U> {
        var out: [U] = []
        for item in data { out.append(try await transform(item)) }
        return ListPage<U>(data: out, hasMore: hasMore)
    }
}

extension ListPage: Encodable where T: Encodable {}
