import SystemZlib

/// In-process gunzip through zlib, so IDX `.gz` files never need an external `gunzip`.
enum Gzip {
    /// True when `data` starts with the gzip magic bytes 1f 8b.
    static func isGzip(_ data: [UInt8]) -> Bool {
        data.count >= 2 && data[0] == 0x1f && data[1] == 0x8b
    }

    /// Decompresses the gzip stream in `data`; `path` only names the file in errors. Output beyond `limit` bytes is
    /// an error (a corrupt or hostile stream could otherwise fill the memory: deflate reaches ~1032:1).
    static func decompress(_ data: [UInt8], path: String, limit: Int = FileBytes.maximumSize) throws(DataError)
        -> [UInt8]
    {
        var stream = z_stream()
        // 15 + 16: maximum window, and expect a gzip (not a raw zlib) header.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .badGzip(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        // zlib counts in UInt32: input and output are handed over in pieces of at most this much.
        let piece = Int(UInt32.max)
        // The trailer's size is only a hint: at most 256 MiB is allocated on its word, the rest as output arrives.
        var output = [UInt8](repeating: 0, count: min(sizeHint(data), limit, 256 << 20))
        var produced = 0
        var consumed = 0
        var status = Z_OK
        var overLimit = false
        data.withUnsafeBufferPointer { input in
            while true {
                if stream.avail_in == 0 && consumed < input.count {
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                    stream.avail_in = UInt32(min(piece, input.count - consumed))
                    consumed += Int(stream.avail_in)
                }
                if produced == output.count {
                    guard output.count < limit else {
                        overLimit = true
                        return
                    }
                    let growth = min(max(output.count, 1 << 16), limit - output.count)
                    output.append(contentsOf: repeatElement(0, count: growth))
                }
                let room = min(piece, output.count - produced)
                status = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return result
                }
                if status == Z_STREAM_END { return }
                // Z_BUF_ERROR with output room left means the input ran out before the stream ended.
                if status == Z_BUF_ERROR && stream.avail_out > 0 && consumed == input.count { return }
                if status != Z_OK && status != Z_BUF_ERROR { return }
            }
        }
        if overLimit {
            throw .badGzip(path: path, reason: "it decompresses to more than \(limit) bytes")
        }
        switch status {
        case Z_STREAM_END:
            output.removeLast(output.count - produced)
            return output
        case Z_BUF_ERROR, Z_OK:
            throw .badGzip(path: path, reason: "the compressed data ends early, after \(produced) bytes; truncated")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .badGzip(path: path, reason: message)
        }
    }

    /// The uncompressed size from the gzip trailer (size mod 2^32), trusted only when plausible.
    private static func sizeHint(_ data: [UInt8]) -> Int {
        let fallback = max(data.count * 4, 1 << 16)
        guard data.count >= 18 else { return fallback }
        let tail = data.count - 4
        let size = Int(data[tail]) | Int(data[tail + 1]) << 8 | Int(data[tail + 2]) << 16 | Int(data[tail + 3]) << 24
        // Deflate compresses at most ~1032:1; a larger claim means the trailer is garbage (e.g. truncated file).
        return size > 0 && size <= data.count * 1032 ? size : fallback
    }
}
