import Foundation
import Glibc

/// Where a node keeps the clicks it answered and has not yet written: append-only files,
/// memory-mapped, each click copied in before its 302 goes out, so a click is on the kernel's
/// side when the visitor sees the answer and a killed process loses none (with `msync`, a lost
/// machine neither). A segment a killed process left ends in reserved zero bytes; replay skips them. The recorder seals the current segment when it takes a batch and empties
/// sealed segments (zeroes them, for reuse) once their batch commits; the next start replays
/// what is left, skipping click ids already written.
///
/// Several nodes may share a directory: each holds an exclusive `flock` on its own
/// `<node>.lock` while it runs, and a starting node replays only the segments of nodes whose
/// lock it can take (the kernel drops a dead process's lock), so a live node's clicks are
/// never written twice.
public struct ClickSpool: Sendable {
    public let directory: String
    public let fsync: Bool
    /// This process's name in the directory.
    let node: String
    /// Held for the life of the process (closing it would let another node take this node's segments).
    let lockDescriptor: Int32

    public struct SpoolError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the directory if needed and takes this node's lock.
    public init(directory: String, fsync: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.fsync = fsync
        node = UUID().uuidString.lowercased()
        let path = directory + "/" + node + ".lock"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SpoolError(description: "CLICK_SPOOL_DIR: cannot create \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { throw SpoolError(description: "CLICK_SPOOL_DIR: cannot lock \(path)") }
        lockDescriptor = descriptor
    }

    // MARK: Writing

    /// An open segment file, mapped into memory. A click is copied into the shared mapping,
    /// which is the kernel's page cache itself: once copied it survives the process (as a
    /// `write` would) without a system call per click, which cost the redirect 13 % of its
    /// throughput. Blocks are reserved (`posix_fallocate`) before they are mapped, so a full
    /// disk is an error at opening or growing, never a SIGBUS on a click.
    struct Segment: @unchecked Sendable {
        let path: String
        let descriptor: Int32
        /// Mutated only under the recorder's lock.
        var base: UnsafeMutableRawPointer
        var capacity: Int
        var used = 0
    }

    static let initialCapacity = 4 << 20
    /// `MADV_POPULATE_WRITE`, by value: older glibc headers lack the name (the kernel answers EINVAL then).
    static let populateWrite: Int32 = 23

    /// `prefault` bytes of it are made writable now: a page's first write otherwise faults into the
    /// kernel (ext4 readies the page) while the recorder's lock is held, every 4 KiB, and the redirects
    /// queued behind that lock. The recorder prepares the next segment this way off the redirect's path.
    func openSegment(_ number: Int, prefault: Int = 0) throws -> Segment {
        let path = directory + "/" + node + "-" + String(number) + ".spool"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SpoolError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        do {
            let base = try map(descriptor, capacity: Self.initialCapacity, path: path)
            let segment = Segment(path: path, descriptor: descriptor, base: base, capacity: Self.initialCapacity)
            self.prefault(segment, length: prefault)
            return segment
        } catch {
            _ = Glibc.close(descriptor)
            unlink(path)
            throw error
        }
    }

    /// Makes the first `length` bytes writable without changing a byte (MADV_POPULATE_WRITE,
    /// Linux 5.14; where the kernel lacks it, the pages fault on first write as before). Cheap
    /// for pages that already are.
    func prefault(_ segment: Segment, length: Int) {
        let length = min(segment.capacity, length)
        if length > 0 { _ = madvise(segment.base, length, Self.populateWrite) }
    }

    /// A segment whose clicks are committed, made ready for new ones: its bytes zeroed (a crash
    /// then leaves only the new lines to replay, and no half of an old line after them).
    /// Nothing is synced: a crash before the zeros reach the disk replays committed lines,
    /// which the replay skips by their ids.
    func empty(_ segment: inout Segment) {
        segment.base.initializeMemory(as: UInt8.self, repeating: 0, count: segment.used)
        segment.used = 0
    }

    /// Reserves `capacity` bytes of the file and maps them.
    func map(_ descriptor: Int32, capacity: Int, path: String) throws -> UnsafeMutableRawPointer {
        let reserved = posix_fallocate(descriptor, 0, off_t(capacity))
        guard reserved == 0 else { throw SpoolError(description: "cannot reserve \(capacity) bytes for \(path): \(String(cString: strerror(reserved)))") }
        let base = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let base, base != MAP_FAILED else { throw SpoolError(description: "cannot map \(path): \(String(cString: strerror(errno)))") }
        return base
    }

    /// One click's line (`withLine`), copied into the segment (grown when full).
    func append(_ line: UnsafeRawBufferPointer, to segment: inout Segment) throws {
        if segment.used + line.count > segment.capacity {
            let grown = max(segment.capacity * 2, segment.used + line.count)
            let base = try map(segment.descriptor, capacity: grown, path: segment.path)
            munmap(segment.base, segment.capacity)
            (segment.base, segment.capacity) = (base, grown)
        }
        if let bytes = line.baseAddress { (segment.base + segment.used).copyMemory(from: bytes, byteCount: line.count) }
        segment.used += line.count
        if fsync { _ = msync(segment.base, segment.used, MS_SYNC) }
    }

    func append(_ line: String, to segment: inout Segment) throws {
        var line = line
        try line.withUTF8 { try append(UnsafeRawBufferPointer($0), to: &segment) }
    }

    /// Unmaps the segment and cuts the file to what it holds.
    func close(_ segment: Segment) {
        munmap(segment.base, segment.capacity)
        _ = ftruncate(segment.descriptor, off_t(segment.used))
        _ = Glibc.close(segment.descriptor)
    }

    /// A segment no click went to: closed and deleted.
    func discard(_ segment: Segment) {
        close(segment)
        remove(segment.path)
    }

    func remove(_ path: String) { _ = unlink(path) }

    /// `id TAB link TAB partnership TAB program TAB visitor TAB seconds-since-1970 LF`. Ids and
    /// visitors never hold tabs or line breaks (both are made or checked by the redirect).
    static func line(_ click: RecordedClick) -> String {
        withLine(click) { String(decoding: $0, as: UTF8.self) }
    }

    /// The line, formatted into a temporary buffer: on the redirect's path, where building it
    /// as a String (`UUID.uuidString` formats through `snprintf`) cost about 2 % of the server.
    static func withLine<R>(_ click: RecordedClick, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let seconds = String(click.at.timeIntervalSince1970)
        let capacity = click.id.utf8.count + click.visitor.utf8.count + seconds.utf8.count + 3 * 36 + 6
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { out in
            var at = 0
            func put(_ bytes: some Sequence<UInt8>) {
                for byte in bytes { out[at] = byte; at += 1 }
            }
            func put(_ uuid: UUID) { UUIDText.withUpperCase(uuid) { put($0) } }
            let tab = CollectionOfOne(UInt8(ascii: "\t"))
            put(click.id.utf8); put(tab)
            put(click.linkID); put(tab)
            put(click.partnershipID); put(tab)
            put(click.programID); put(tab)
            put(click.visitor.utf8); put(tab)
            put(seconds.utf8); put(CollectionOfOne(UInt8(ascii: "\n")))
            return try body(UnsafeRawBufferPointer(start: out.baseAddress, count: at))
        }
    }

    static func click(from line: Substring) -> RecordedClick? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 6, !fields[0].isEmpty, !fields[4].isEmpty,
              let link = UUID(uuidString: String(fields[1])), let partnership = UUID(uuidString: String(fields[2])),
              let program = UUID(uuidString: String(fields[3])), let seconds = Double(fields[5]) else { return nil }
        return RecordedClick(id: String(fields[0]), linkID: link, partnershipID: partnership, programID: program,
                             visitor: String(fields[4]), at: Date(timeIntervalSince1970: seconds))
    }

    // MARK: Recovery

    /// Segments left by nodes that are gone: their paths, and the clicks they hold (a line cut
    /// short by a lost machine is skipped). Each dead node's lock is taken, so two starting
    /// nodes never replay the same segment; `finishRecovery` releases them.
    func orphans() throws -> (paths: [String], locks: [(path: String, descriptor: Int32)], clicks: [RecordedClick]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        var paths: [String] = []
        var locks: [(String, Int32)] = []
        var clicks: [RecordedClick] = []
        for name in names.sorted() where name.hasSuffix(".lock") {
            let owner = String(name.dropLast(".lock".count))
            guard owner != node else { continue }
            let lockPath = directory + "/" + name
            let descriptor = open(lockPath, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                _ = Glibc.close(descriptor)  // alive: its segments are its own
                continue
            }
            locks.append((lockPath, descriptor))
            let segments = names.filter { $0.hasPrefix(owner + "-") && $0.hasSuffix(".spool") }
                .sorted { (Self.segmentNumber($0) ?? 0) < (Self.segmentNumber($1) ?? 0) }
            for segment in segments {
                let path = directory + "/" + segment
                paths.append(path)
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                // A killed process's segment ends in reserved zero bytes: not lines.
                for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("\0") {
                    if let click = Self.click(from: line) { clicks.append(click) }
                }
            }
        }
        return (paths, locks, clicks)
    }

    /// After the orphans' clicks are written: their segments and locks go.
    func finishRecovery(paths: [String], locks: [(path: String, descriptor: Int32)]) {
        for path in paths { remove(path) }
        for lock in locks {
            remove(lock.path)
            _ = Glibc.close(lock.descriptor)
        }
    }

    /// A clean stop, everything written: this node's lock goes too.
    func removeOwnLock() {
        remove(directory + "/" + node + ".lock")
        _ = Glibc.close(lockDescriptor)
    }

    static func segmentNumber(_ name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-"), let dot = name.lastIndex(of: ".") else { return nil }
        return Int(name[name.index(after: dash)..<dot])
    }
}
