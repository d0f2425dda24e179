import Foundation

/// The line a local worker writes after a trial's last event (`finished`, `paused` or `error`): the trial is over and
/// the worker waits for its next request on stdin. It carries what the worker's exit status said when a worker
/// trained one trial and exited (``WorkerExit``), so the coordinator records an attempt exactly as before.
///
/// Not a ``TrainingEvent``: it is the worker protocol's framing, never recorded. Decoded tolerantly: a missing status
/// reads as a failure, and unknown fields are ignored.
struct WorkerTrialEnd: Equatable, Sendable {
    static let tag = "trial_end"

    /// The status the trial would have made the worker exit with.
    var status: Int32

    /// The JSON line (without the newline).
    var jsonLine: String {
        #"{"event":"\#(Self.tag)","status":\#(status)}"#
    }

    init(status: Int32) { self.status = status }

    /// The end-of-trial line in `line`, or nil when it is another line (an event).
    init?(jsonLine line: String) {
        // Cheap test first: every event line passes through here.
        guard line.contains(Self.tag),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["event"] as? String == Self.tag
        else { return nil }
        status = (object["status"] as? NSNumber).map { Int32(truncating: $0) } ?? WorkerExit.failed
    }
}
