import Foundation
import Logging

/// One line per log event on standard output, in swift-log's stream format.
///
/// Why not `StreamLogHandler`: it formats its metadata whenever metadata is set, and
/// Hummingbird sets a request id on every request's logger, so every redirect paid for
/// formatting a log line that the `info` level never prints (about 3 % of the server's
/// CPU under load). This handler formats only lines it writes.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadataProvider?.get() ?? [:]
        all.merge(metadata) { _, own in own }
        if let extra = event.metadata { all.merge(extra) { _, own in own } }
        let fields = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Date().formatted(.iso8601)
        let line = "\(time) \(event.level) \(label) :\(fields) [\(event.source)] \(event.message)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
