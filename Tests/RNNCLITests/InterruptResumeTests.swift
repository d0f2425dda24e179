import Foundation
import RNNSweep
import RNNTraining
import Testing

extension EndToEnd {
    /// Ctrl-C stops a sweep cleanly, and resuming it gives exactly the numbers of a run that was never stopped.
    @Suite struct InterruptResumeTests {
        let sweep = TinySweep(name: "interrupt", epochs: 8, cells: ["simple_rnn", "gru", "lstm"], units: [16])

        @Test func sigintStopsTheSweepAndResumingReproducesAnUninterruptedRunExactly() throws {
            // The reference: the same file, never interrupted, into another database (and checkpoint directory).
            let reference = try SweepWorkspace()
            let referenceRun = try reference.run(["run", try reference.write("s.yaml", sweep.yaml), "--workers", "2"])
            try #require(referenceRun.status == 0, "\(referenceRun)")

            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "2"])
            let database = workspace.sweepDatabase(sweep.name)
            let midway = waitFor("a trial in the middle of training") {
                database.trialMidway(epochs: sweep.epochs, remaining: 4)
            }
            guard midway != nil,
                // Trials with epochs still to go when the signal comes: they cannot finish before it.
                let running = database.trials()?.filter({
                    $0.status == .running && ($0.lastEpoch ?? 0) <= sweep.epochs - 3
                })
            else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            coordinator.send(SIGINT)
            let result = coordinator.wait()
            #expect(result.status == 130 && !result.signaled, "\(result)")
            #expect(result.stdout.contains("received signal 2"), "\(result)")
            #expect(result.stdout.contains("summary: "), "\(result)")
            #expect(result.stdout.contains("(interrupted: run the same command again to resume)"), "\(result)")

            #expect(!running.isEmpty)
            let stopped = try #require(database.trials())
            for trial in running {
                let now = stopped.first { $0.id == trial.id }
                #expect(now?.status == .interrupted, "\(trial.id)")
                #expect(now?.signal == Int(SIGTERM), "the coordinator stops its workers with SIGTERM")
            }
            let allowed: Set<TrialStatus> = [.completed, .interrupted, .pending]
            #expect(stopped.allSatisfy { allowed.contains($0.status) }, "\(stopped.map(\.status))")
            // The coordinator waited for its workers: every one it started has exited and been reaped.
            let pids = stopped.compactMap(\.workerPID).map(Int32.init)
            #expect(!pids.isEmpty)
            for pid in pids {
                #expect(waitFor("worker \(pid) to be gone") { ProcessProbe.isGone(pid) ? true : nil } == true)
            }

            let resumed = try workspace.run(["run", file, "--workers", "2"])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stdout.contains("resuming from the checkpoint after epoch"), "\(resumed)")
            try expectSameResults(database, as: reference.sweepDatabase(sweep.name))
        }
    }
}

/// One epoch's training metrics as bit patterns (wall-clock seconds left out), for exact comparison.
struct MetricCurve: Equatable, CustomStringConvertible {
    var trial: String
    var epoch: Int
    var metrics: [UInt64?]

    static func of(_ epochs: [String: [EpochMetrics]]) -> [MetricCurve] {
        epochs.keys.sorted().flatMap { trial in
            epochs[trial]!.map { record in
                MetricCurve(
                    trial: trial, epoch: record.epoch,
                    metrics: [record.loss, record.accuracy, record.valLoss, record.valAccuracy].map { $0?.bitPattern })
            }
        }
    }

    var description: String {
        "\(trial)#\(epoch): "
            + metrics.map { $0.map { String(Double(bitPattern: $0)) } ?? "nil" }.joined(separator: " ")
    }
}
