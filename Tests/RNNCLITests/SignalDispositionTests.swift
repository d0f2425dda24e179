import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// The coordinator ignores SIGPIPE while it writes to workers; called as a library, it must hand the process's
    /// disposition back as it found it.
    @Suite struct SignalDispositionTests {
        @Test func runRestoresTheCallersSIGPIPEDisposition() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "sigpipe", samples: 200, epochs: 1, cells: ["simple_rnn"], units: [8])
            let path = try workspace.write("sigpipe.yaml", sweep.yaml)
            let (experiment, expanded) = try ExperimentFile.loadSweep(path: path)
            let options = SweepRunOptions(
                databaseURL: workspace.database, workers: 1,
                threadsPerWorker: 1, retries: 0, workerExecutable: RNNSweepBinary.url)
            // The "caller's" disposition: a handler that does nothing. Unlike SIG_DFL it cannot kill this test
            // process if another test meanwhile writes to a closed pipe, and unlike SIG_IGN it is not what the
            // runner sets, so a runner that forgot to restore would be seen.
            let callersHandler: @convention(c) (Int32) -> Void = { _ in }
            let original = signal(SIGPIPE, callersHandler)
            defer { signal(SIGPIPE, original) }
            let summary = try SweepRunner(
                experiment: experiment, sweep: expanded, options: options,
                reporter: SweepReporter(terminal: false) { _ in }
            ).run()
            #expect(summary.completed == 1)
            let after = signal(SIGPIPE, callersHandler)
            #expect(
                unsafeBitCast(after, to: Int.self) == unsafeBitCast(callersHandler, to: Int.self),
                "SIGPIPE's disposition was left changed")
        }
    }
}
