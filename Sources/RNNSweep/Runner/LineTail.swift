import Foundation

/// The last `limit` lines written to a stream, thread-safe, plus the first line that reports a fatal error
/// (`Fatal error`, `error:`): a crashed Swift process prints registers and libraries after it, which would push
/// the one line that matters out of the tail.
final class LineTail: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()
    private var firstFatal: String?
    private var finished = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        if firstFatal == nil { firstFatal = Self.fatalLine(in: data) }
        if data.count > 64 * 1024 { data = data.suffix(16 * 1024) }
        lock.unlock()
    }

    func markFinished() {
        lock.lock()
        finished = true
        lock.broadcast()
        lock.unlock()
    }

    func waitForEOF(timeout: Double) {
        lock.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !finished && lock.wait(until: deadline) {}
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return Self.tail(of: data, limit: limit, keeping: firstFatal)
    }

    /// `text`, then forgets it: a worker that runs trial after trial keeps each trial's tail apart.
    func take() -> String {
        lock.lock()
        defer { lock.unlock() }
        let text = Self.tail(of: data, limit: limit, keeping: firstFatal)
        data = Data()
        firstFatal = nil
        return text
    }

    /// The last `limit` lines of `data`, with `fatal` first when it has scrolled out of them.
    static func tail(of data: Data, limit: Int, keeping fatal: String? = nil) -> String {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init)
        var kept = Array(lines.suffix(limit))
        if let fatal = fatal ?? fatalLine(in: data), !kept.contains(fatal) {
            kept = [fatal, "…"] + kept.suffix(max(limit - 2, 1))
        }
        return kept.joined(separator: "\n")
    }

    /// The first complete line that reports a fatal error, if any.
    static func fatalLine(in data: Data) -> String? {
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if line.contains("Fatal error") || line.hasPrefix("error:") || line.contains(": error:") {
                return String(line)
            }
        }
        return nil
    }
}
