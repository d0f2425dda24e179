import Foundation
import Synchronization

/// Counts the SIGINT, SIGTERM and SIGHUP this process receives, so that a scheduler command blocked on a silent
/// controller can be cut short by them (the coordinator's own handler only posts to its mailbox, which it cannot
/// read while it waits for `squeue`). A second dispatch source beside the coordinator's `SignalTrap`: libdispatch
/// delivers a signal to every source registered for it.
final class SignalCount: Sendable {
    static let shared = SignalCount(signals: [SIGINT, SIGTERM, SIGHUP])

    private let count = Atomic<Int>(0)
    // Kept for the life of the process.
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    private init(signals: [Int32]) {
        for s in signals {
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { [self] in count.add(1, ordering: .sequentiallyConsistent) }
            source.resume()
            sources.append(source)
        }
    }

    /// How many of the signals have arrived so far.
    var value: Int { count.load(ordering: .sequentiallyConsistent) }
}
