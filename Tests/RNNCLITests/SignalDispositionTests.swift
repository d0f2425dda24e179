import Foundation
import RNNSweep
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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
            let caller = signal(SIGPIPE, SIG_DFL)
            defer { signal(SIGPIPE, caller) }
            let summary = try SweepRunner(
                experiment: experiment, sweep: expanded, options: options,
                reporter: SweepReporter(terminal: false) { _ in }
            ).run()
            #expect(summary.completed == 1)
            let after = signal(SIGPIPE, SIG_DFL)
            #expect(unsafeBitCast(after, to: Int.self) == unsafeBitCast(SIG_DFL, to: Int.self), "SIGPIPE left changed")
        }
    }
}
