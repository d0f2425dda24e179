import Foundation
import GRDB

/// Retries a database write that another process keeps from starting (SQLITE_BUSY / SQLITE_LOCKED: a `merge
/// --into`, a `sqlite3` shell in a transaction) with a bounded exponential back-off, on top of the connection's own
/// busy timeout. A write that fails for any other reason is not retried: it is rethrown at once.
///
/// Why: a coordinator that skipped a busy write lost the epoch for good; one that waits loses nothing.
public struct BusyRetry: Sendable {
    /// The first pause between attempts; each pause doubles up to `maximumPause`.
    public var firstPause: Duration = .milliseconds(100)
    public var maximumPause: Duration = .seconds(5)
    /// How long to keep retrying in all before the write is given up (the error is rethrown).
    public var giveUpAfter: Duration = .seconds(30 * 60)

    public init() {}

    /// True for the errors of a database that another connection holds: worth waiting for.
    public static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Runs `body` until it succeeds, fails otherwise, `giveUpAfter` has passed or `giveUp` says so (a signal
    /// asks the run to stop); `waiting` is called once, after the first busy failure (to say why the run pauses).
    public func run<T>(
        waiting: (any Error) -> Void = { _ in }, giveUp: () -> Bool = { false }, _ body: () throws -> T
    ) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + giveUpAfter
        var pause = firstPause
        var told = false
        while true {
            do {
                return try body()
            } catch  where Self.isBusy(error) && clock.now < deadline && !giveUp() {
                if !told {
                    told = true
                    waiting(error)
                }
                Thread.sleep(
                    forTimeInterval: Double(pause.components.attoseconds) / 1e18 + Double(pause.components.seconds))
                pause = min(pause * 2, maximumPause)
            }
        }
    }
}
