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
    /// Link keys whose entries expired and wait for the reload, and whether a reload runs.
    /// Expired keys are reloaded together, up to `refreshBatch` a query: one query a key
    /// made the database answer one a redirect, once each key was clicked about every `ttl`
    /// (1,000 links at 20,000 clicks a second: 200 queries a second, each parsed and planned).
    private let expired = Mutex(Expired())
    static let refreshBatch = 500

    private struct Expired {
        var keys: Set<String> = []
        var reloading = false
        var queries = 0
    }

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
        try await cached("k:" + key, linkKey: key) {
            try await self.load(keys: [key])[key]
        }
    }

    /// Custom links also answer at `/r/{program slug}/{link slug}`.
    public func target(program: String, slug: String) async throws -> LinkTarget? {
        try await cached("s:" + program + "/" + slug) {
            let rows = try await self.store.sql.raw("""
                \(unsafeRaw: Self.selectActiveTargets) AND g.slug = \(bind: program) AND l.slug = \(bind: slug)
                """).all(decoding: Row.self)
            return rows.first.map(\.target)
        }
    }

    /// How many reload queries expired keys took (each covers up to `refreshBatch` keys).
    public var reloadQueries: Int { expired.withLock { $0.queries } }

    public func invalidateAll() {
        entries.withLock { $0.removeAll() }
    }

    /// `linkKey`: the link key behind `cacheKey`, whose reload joins the others' (custom-link
    /// paths, which are rare, reload one by one).
    private func cached(_ cacheKey: String, linkKey: String? = nil, load: @escaping @Sendable () async throws -> LinkTarget?) async throws -> LinkTarget? {
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
            if refresh, let linkKey {
                reloadLater(linkKey)
            } else if refresh {
                Task { [self] in
                    let answer: [String: LinkTarget]?
                    do { answer = try await load().map { [cacheKey: $0] } ?? [:] } catch { answer = nil }
                    settle([cacheKey], answer: answer)
                }
            }
            return target
        case .missing:
            let target = try await load()
            store(cacheKey, target)
            return target
        }
    }

    /// Queues an expired link key; the first key of an idle directory starts the reload, which
    /// takes every key queued by then, and again until none is left.
    private func reloadLater(_ key: String) {
        let start = expired.withLock { expired -> Bool in
            expired.keys.insert(key)
            guard !expired.reloading else { return false }
            expired.reloading = true
            return true
        }
        if start { Task { [self] in await reloadExpired() } }
    }

    private func reloadExpired() async {
        while true {
            let keys = expired.withLock { expired -> [String] in
                let keys = Array(expired.keys.prefix(Self.refreshBatch))
                if keys.isEmpty { expired.reloading = false } else { expired.queries += 1 }
                expired.keys.subtract(keys)
                return keys
            }
            guard !keys.isEmpty else { return }
            let found: [String: LinkTarget]?
            do { found = try await load(keys: keys) } catch { found = nil }
            settle(keys.map { "k:" + $0 }, answer: found.map { found in
                Dictionary(uniqueKeysWithValues: found.map { ("k:" + $0.key, $0.value) })
            })
        }
    }

    /// Ends the reload of `cacheKeys`. `answer` holds the active links found, by cache key; a
    /// key absent from it has no active link any more. A nil `answer` means the query failed,
    /// which is not "the link is gone" (or an archived link would redirect on every other node
    /// for ever): the old answers stay and retry at their next request.
    private func settle(_ cacheKeys: [String], answer: [String: LinkTarget]?) {
        let loadedAt = ContinuousClock.now
        entries.withLock { entries in
            for cacheKey in cacheKeys {
                if let answer {
                    entries[cacheKey] = Entry(target: answer[cacheKey], loadedAt: loadedAt)
                } else if var entry = entries[cacheKey] {
                    entry.refreshing = false
                    entries[cacheKey] = entry
                }
            }
        }
    }

    private func store(_ cacheKey: String, _ target: LinkTarget?) {
        entries.withLock { entries in
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[cacheKey] = Entry(target: target, loadedAt: ContinuousClock.now)
        }
    }

    /// What every lookup selects (`Row`), from where, among the links that still redirect;
    /// callers add `AND …`.
    static let selectActiveTargets = """
        SELECT l.key, l.id AS link_id, l.partnership_id, l.program_id, l.destination, g.allowed_domains, g.default_destination
        FROM links l JOIN partnerships p ON p.id = l.partnership_id JOIN programs g ON g.id = l.program_id
        WHERE l.archived_at IS NULL AND p.status = 'active'
        """

    struct Row: Decodable {
        let key: String
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

    /// The active links among `keys`, by key (a key absent from the answer has no active link).
    private func load(keys: [String]) async throws -> [String: LinkTarget] {
        let rows = try await store.sql.raw("""
            \(unsafeRaw: Self.selectActiveTargets) AND l.key IN (\(binds: keys))
            """).all(decoding: Row.self)
        var found: [String: LinkTarget] = [:]
        for row in rows { found[row.key] = row.target }
        return found
    }
}
