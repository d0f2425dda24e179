import Foundation

/// Messages reaching the coordinator's single thread from worker reader threads and signal handlers, in order.
final class Mailbox: @unchecked Sendable {
    enum Message: Sendable {
        case worker(WorkerProcess.Message)
        case signal(Int32)
    }

    private let condition = NSCondition()
    private var items: [(Int, Message)] = []

    func post(slot: Int, _ message: Message) {
        condition.lock()
        items.append((slot, message))
        condition.signal()
        condition.unlock()
    }

    /// The next message, or nil after `timeout` seconds without one.
    func take(timeout: Double) -> (Int, Message)? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while items.isEmpty {
            if !condition.wait(until: deadline) { return nil }
        }
        return items.removeFirst()
    }
}

/// Delivers SIGINT/SIGTERM to a handler instead of killing the process, for as long as it exists.
/// (Workers reset both to the default action themselves: an ignored signal is inherited across exec.)
final class SignalTrap {
    private var sources: [any DispatchSourceSignal] = []
    private let signals: [Int32]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        Self.unblock(signals)
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { handler(s) }
            source.resume()
            sources.append(source)
        }
    }

    /// Unblocks `signals` for this thread and the processes it starts. A blocked signal mask survives fork and exec,
    /// and a parent that starts us from a libdispatch worker thread (which blocks them) passes SIGINT/SIGTERM on
    /// blocked: a worker would then never receive the coordinator's SIGTERM, nor its parent-death signal.
    static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    func restore() {
        for source in sources { source.cancel() }
        for s in signals { signal(s, SIG_DFL) }
    }
}
