import Crypto
import Foundation

/// The uniqueness ledger's key for a (link, day, visitor) triple: the first 8 bytes of
/// SHA-256(link's 16 bytes, day, "\n", visitor), as a signed 64-bit integer.
///
/// Why a hash and not the triple: with traffic from many visitors nearly every click is a new
/// triple, and each one is a random insert into the ledger's B-tree. Keyed on the triple (about
/// 80 bytes an entry, two B-trees on SQLite), SQLite's writer fell up to 3.9 s behind under
/// `Benchmarks/redirect --visitors 100000`, and about 1 s with this key; an 8-byte key is SQLite's
/// rowid itself and a quarter of the index on PostgreSQL. (The larger cost left there is the
/// attribution index on `clicks`: the README's benchmark section.) The price is that two triples could share a key, and the
/// second would count as a repeat: at 100 million triples the chance that any pair does is
/// about 3 in 10,000, and it moves a unique-click count (a statistic, never money) by one.
/// SHA-256 rather than a fast hash because visitors choose their `tdm_vid` cookie: no one can
/// aim a collision at someone else's triple.
extension ClickRecorder.UniqueKey {
    var ledgerKey: Int64 {
        var hash = SHA256()
        withUnsafeBytes(of: linkID.uuid) { hash.update(bufferPointer: $0) }
        var day = day, visitor = visitor
        day.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(ascii: "\n")) { hash.update(bufferPointer: $0) }
        visitor.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hash.finalize().withUnsafeBytes { bytes in
            Int64(bitPattern: bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }
}
