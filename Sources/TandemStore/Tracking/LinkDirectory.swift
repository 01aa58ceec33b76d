import Foundation
import SQLKit
import TandemDomain
import Synchronization

/// Where a link key leads, as the redirect needs it.
public struct LinkTarget: Sendable, Equatable {
    public let linkID: UUID
    public let partnershipID: UUID
    public let programID: UUID
    public let destination: String
}

/// Resolves `/r/{key}` from memory. Entries (found or not) are fresh for `ttl`; a change
/// made on this node invalidates at once, a change made on another node shows within
/// about `ttl`. An expired entry is still answered while one background refresh reloads
/// it (stale-while-revalidate, one refresh per key at a time), so a redirect never waits
/// on the database for a link it has seen — on SQLite that wait would queue behind the
/// click writer's transaction. Nothing here is the only copy of anything: the database
/// stays the truth.
public final class LinkDirectory: Sendable {
    let store: Store
    let ttl: Duration
    let maxEntries: Int
    private let entries = Mutex<[String: Entry]>([:])

    struct Entry {
        let target: LinkTarget?
        let loadedAt: ContinuousClock.Instant
        var refreshing = false
    }

    public init(store: Store, ttl: Duration = .seconds(5), maxEntries: Int = 200_000) {
        self.store = store
        self.ttl = ttl
        self.maxEntries = maxEntries
    }

    public func target(forKey key: String) async throws -> LinkTarget? {
        try await cached("k:" + key) {
            try await self.load(where: "l.key = ", bind: key)
        }
    }

    /// Custom links also answer at `/r/{program slug}/{link slug}`.
    public func target(program: String, slug: String) async throws -> LinkTarget? {
        try await cached("s:" + program + "/" + slug) {
            let rows = try await self.store.sql.raw("""
                SELECT l.id AS link_id, l.partnership_id, l.program_id, l.destination, g.allowed_domains, g.default_destination
                FROM links l JOIN partnerships p ON p.id = l.partnership_id JOIN programs g ON g.id = l.program_id
                WHERE g.slug = \(bind: program) AND l.slug = \(bind: slug) AND l.archived_at IS NULL AND p.status = 'active'
                """).all(decoding: Row.self)
            return rows.first.map(\.target)
        }
    }

    public func invalidateAll() {
        entries.withLock { $0.removeAll() }
    }

    private func cached(_ cacheKey: String, load: @escaping @Sendable () async throws -> LinkTarget?) async throws -> LinkTarget? {
        let now = ContinuousClock.now
        enum Decision { case fresh(LinkTarget?), stale(LinkTarget?, refresh: Bool), missing }
        let decision = entries.withLock { entries -> Decision in
            guard var entry = entries[cacheKey] else { return .missing }
            if now - entry.loadedAt < ttl { return .fresh(entry.target) }
            let refresh = !entry.refreshing
            entry.refreshing = true
            entries[cacheKey] = entry
            return .stale(entry.target, refresh: refresh)
        }
        switch decision {
        case .fresh(let target):
            return target
        case .stale(let target, let refresh):
            if refresh {
                Task { [self] in
                    // Not `try?`: it would flatten "the link is gone" (nil) into "the query failed",
                    // and an archived link would then redirect on every other node for ever.
                    let reloaded: LinkTarget??
                    do { reloaded = .some(try await load()) } catch { reloaded = nil }
                    entries.withLock { entries in
                        if let reloaded {
                            entries[cacheKey] = Entry(target: reloaded, loadedAt: ContinuousClock.now)
                        } else if var entry = entries[cacheKey] {
                            // Only a failed query leaves the old answer; try again next time.
                            entry.refreshing = false
                            entries[cacheKey] = entry
                        }
                    }
                }
            }
            return target
        case .missing:
            let target = try await load()
            store(cacheKey, target)
            return target
        }
    }

    private func store(_ cacheKey: String, _ target: LinkTarget?) {
        entries.withLock { entries in
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[cacheKey] = Entry(target: target, loadedAt: ContinuousClock.now)
        }
    }

    struct Row: Decodable {
        let link_id: UUID
        let partnership_id: UUID
        let program_id: UUID
        let destination: String
        let allowed_domains: String
        let default_destination: String

        /// The program's rules of today decide, not those of the day the link was made: a
        /// destination whose domain the vendor has since removed leads to the default destination.
        var target: LinkTarget {
            let host = URLComponents(string: destination)?.host ?? ""
            let allowed = Destination.isAllowed(host: host.lowercased(), allowedDomains: allowed_domains.split(separator: "\n").map(String.init))
            return LinkTarget(linkID: link_id, partnershipID: partnership_id, programID: program_id, destination: allowed ? destination : default_destination)
        }
    }

    private func load(where clause: String, bind value: String) async throws -> LinkTarget? {
        let rows = try await store.sql.raw("""
            SELECT l.id AS link_id, l.partnership_id, l.program_id, l.destination, g.allowed_domains, g.default_destination
            FROM links l JOIN partnerships p ON p.id = l.partnership_id JOIN programs g ON g.id = l.program_id
            WHERE \(unsafeRaw: clause)\(bind: value) AND l.archived_at IS NULL AND p.status = 'active'
            """).all(decoding: Row.self)
        return rows.first.map(\.target)
    }
}
