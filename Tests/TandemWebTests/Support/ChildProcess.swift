import Foundation
import Glibc

/// A child process started with `posix_spawn`, for the tests that run the real binary, curl
/// or node. Foundation's `Process` crashed CI twice (SIGSEGV in a `memmove` inside
/// `Process.run()`, with tests spawning from several threads); `posix_spawn` is the C
/// library's thread-safe way to start a program, and this is all the tests need of it.
final class ChildProcess: @unchecked Sendable {
    let processIdentifier: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `path` with `arguments` and exactly `environment`; its output goes to `stdoutPath`
    /// and its errors to `stderrPath` (nil: discarded; the same path: one file for both).
    init(path: String, arguments: [String], environment: [String: String], stdoutPath: String? = nil, stderrPath: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderrPath, stderrPath == stdoutPath {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        processIdentifier = pid
    }

    /// Waits for the child (once; later calls return what it ended with).
    @discardableResult
    func waitUntilExit() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(processIdentifier, &raw, 0) == -1 && errno == EINTR {}
        // Exited: its code; killed by a signal: 128 + the signal, as a shell reports it.
        let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status = code
        return code
    }

    var terminationStatus: Int32 { waitUntilExit() }

    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard status == nil else { return false }
        var raw: Int32 = 0
        let answer = waitpid(processIdentifier, &raw, WNOHANG)
        guard answer == processIdentifier else { return answer == 0 }
        status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        return false
    }

    func terminate() { kill(processIdentifier, SIGTERM) }
    func interrupt() { kill(processIdentifier, SIGINT) }
}
