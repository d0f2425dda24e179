import Foundation

/// Messages reaching the coordinator's single thread from launcher threads and signal handlers, in order — except
/// signals, which go ahead of the messages waiting: a coordinator slowed by a silent scheduler must still stop at
/// once.
final class Mailbox<Message: Sendable>: @unchecked Sendable {
    enum Item {
        case message(Message)
        case signal(Int32)
    }

    private let condition = NSCondition()
    private var items: [Item] = []

    func post(_ message: Message) { append(.message(message)) }

    func post(signal: Int32) {
        condition.lock()
        let firstMessage = items.firstIndex { if case .message = $0 { true } else { false } } ?? items.endIndex
        items.insert(.signal(signal), at: firstMessage)
        condition.signal()
        condition.unlock()
    }

    private func append(_ item: Item) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    /// True when a signal waits to be taken: a long wait elsewhere (a busy database) gives up for it.
    var hasPendingSignal: Bool {
        condition.lock()
        defer { condition.unlock() }
        return items.contains { if case .signal = $0 { true } else { false } }
    }

    /// The next item, or nil after `timeout` seconds without one (0: only what is already there).
    func take(timeout: Double) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while items.isEmpty {
            if timeout <= 0 || !condition.wait(until: deadline) { return nil }
        }
        return items.removeFirst()
    }
}

/// Delivers signals (SIGINT, SIGTERM, SIGHUP) to a handler instead of killing the process, for as long as it exists.
/// (Workers reset them to the default action themselves: an ignored signal is inherited across exec.)
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

    /// Blocks `signals` for this thread and the threads it starts (a trap still receives them: libdispatch reads
    /// them from a signalfd).
    static func block(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Runs `body` with `signals` blocked on this thread (they wait, and are delivered when it ends): for oneDNN's
    /// JIT kernels, which must not be interrupted by a handler on their thread (see `SweepWorker`'s stop trap).
    static func withBlocked<T>(_ signals: [Int32], _ body: () throws -> T) rethrows -> T {
        var set = sigset_t()
        var previous = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    func restore() {
        for source in sources { source.cancel() }
        for s in signals { signal(s, SIG_DFL) }
    }
}
