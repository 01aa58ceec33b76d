import Synchronization

/// How many file uploads a node reads at once. An upload form takes a body the size of a file
/// (`Resources.maxFileBytes`, 25 MiB) into memory before anything can check who sent it (the
/// CSRF token is a field of that body), so without a bound a few hundred anonymous requests
/// could hold gigabytes. Past the bound the answer is 503 with `Retry-After`.
final class UploadGate: Sendable {
    private let inFlight = Mutex<Int>(0)
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Takes a place, or says there is none.
    func tryEnter() -> Bool {
        inFlight.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
    }

    func leave() { inFlight.withLock { $0 -= 1 } }
}
