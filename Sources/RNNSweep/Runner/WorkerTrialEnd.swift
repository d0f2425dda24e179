import Foundation

/// The line a local worker writes after a trial's last event (`finished`, `paused` or `error`): the trial is over and
/// the worker waits for its next request on stdin. It carries what the worker's exit status said when a worker
/// trained one trial and exited (``WorkerExit``), so the coordinator records an attempt exactly as before.
///
/// Not a ``TrainingEvent``: it is the worker protocol's framing, never recorded. Decoded tolerantly: a missing status
/// reads as a failure, and unknown fields are ignored.
struct WorkerTrialEnd: Equatable, Sendable {
    static let tag = "trial_end"
    private static let tagBytes = Array(tag.utf8)

    /// The status the trial would have made the worker exit with.
    var status: Int32

    /// The JSON line (without the newline).
    var jsonLine: String {
        #"{"event":"\#(Self.tag)","status":\#(status)}"#
    }

    init(status: Int32) { self.status = status }

    /// The end-of-trial line in `line`, or nil when it is another line (an event).
    init?(jsonLine line: String) {
        // Cheap test first, on the bytes: every event line passes through here, and Foundation's `contains` cost
        // the coordinator a few microseconds a line.
        guard Self.mentionsTag(line),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["event"] as? String == Self.tag
        else { return nil }
        status = (object["status"] as? NSNumber).map { Int32(truncating: $0) } ?? WorkerExit.failed
    }

    /// Whether `line` holds the tag's bytes anywhere. A loop of its own: on a 110-byte epoch line it took 0.08 µs,
    /// Foundation's `contains` 1 µs and the standard library's `utf8.contains(_:)` 9 µs (`swiftc -O`).
    private static func mentionsTag(_ line: String) -> Bool {
        let tag = tagBytes
        var line = line
        return line.withUTF8 { bytes in
            guard bytes.count >= tag.count else { return false }
            for start in 0...(bytes.count - tag.count) where bytes[start] == tag[0] {
                if (1..<tag.count).allSatisfy({ bytes[start + $0] == tag[$0] }) { return true }
            }
            return false
        }
    }
}
