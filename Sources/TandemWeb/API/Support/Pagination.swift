import Foundation
import Hummingbird

/// `?limit=` (1–250, default 25) and `?starting_after=ID`; answers are `{"data": [...], "has_more": …}`, newest first.
struct PageRequest {
    let limit: Int
    let startingAfter: UUID?

    static let defaultLimit = 25
    static let limits = 1...250

    static let limitParameter = QueryParameter<Int>(
        name: "limit", description: "How many items, 1 to 250.", required: false,
        schema: { OpenAPIDocument.integer(minimum: limits.lowerBound, maximum: limits.upperBound, defaultValue: defaultLimit) },
        blankIsAbsent: false, parse: { Int($0).flatMap { limits.contains($0) ? $0 : nil } },
        refusal: "`limit` must be a whole number from 1 to 250."
    )
    static let startingAfterParameter = QueryParameter.id(
        "starting_after", "The id of the last item of the previous page.", what: "an", refusal: "`starting_after` must be an id from a previous page."
    )

    init(_ request: Request) throws {
        limit = try Self.limitParameter.read(request) ?? Self.defaultLimit
        startingAfter = try Self.startingAfterParameter.read(request)
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
