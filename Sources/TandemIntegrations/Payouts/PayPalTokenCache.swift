/// Holds PayPal's OAuth access token until shortly before it expires. Concurrent callers
/// share one fetch; a token the API rejected is dropped so the next caller fetches a new one.
actor PayPalTokenCache {
    struct Token: Sendable {
        var value: String
        var expiresIn: Int
    }

    private var current: (value: String, renewAt: ContinuousClock.Instant)?
    private var fetching: Task<Token, any Error>?
    private let clock = ContinuousClock()

    func token(fetch: @escaping @Sendable () async throws -> Token) async throws -> String {
        if let current, clock.now < current.renewAt { return current.value }
        let task: Task<Token, any Error>
        if let fetching {
            task = fetching
        } else {
            task = Task { try await fetch() }
            fetching = task
        }
        defer { if fetching == task { fetching = nil } }
        let token = try await task.value
        // Renew a minute early (or half-way through a short lifetime) so a token never expires in flight.
        let lifetime = max(0, token.expiresIn)
        let margin = min(60, lifetime / 2)
        current = (token.value, clock.now + .seconds(lifetime - margin))
        return token.value
    }

    /// Forget `value` if it is still the cached token (a newer one fetched meanwhile is kept).
    func invalidate(_ value: String) {
        if current?.value == value { current = nil }
    }
}
