import Foundation
import RNNData
import RNNSweep
import RNNTestSupport
import RNNTraining
import Spawn
import Testing

extension EndToEnd {
    /// Local workers that train trial after trial (issue 26, item 1): what a trial records does not depend on what
    /// its worker trained before, and a dead or stalled worker still fails only the trial it ran.
    @Suite struct PersistentWorkerTests {
        /// Six short trials: enough for each of two workers to train several.
        var sixTrials: TinySweep {
            var sweep = TinySweep(name: "persist", epochs: 3)
            sweep.samples = 600
            sweep.units = [8, 16, 24]
            return sweep
        }

        /// The same sweep with workers kept and with a fresh process per trial: the same bits in every epoch row and
        /// every test metric; kept, the trials share their two workers' pids, fresh, each has its own.
        @Test func theSameSweepGivesTheSameBitsWithAndWithoutPersistentWorkers() throws {
            let sweep = sixTrials
            let kept = try SweepWorkspace()
            let keptRun = try kept.run(["run", try kept.write("s.yaml", sweep.yaml), "--workers", "2"])
            #expect(keptRun.status == 0, "\(keptRun)")
            #expect(keptRun.stdout.contains("workers busy "), "\(keptRun)")
            let fresh = try SweepWorkspace()
            let freshRun = try fresh.run([
                "run", try fresh.write("s.yaml", sweep.yaml), "--workers", "2", "--fresh-workers",
            ])
            #expect(freshRun.status == 0, "\(freshRun)")

            let keptDatabase = kept.sweepDatabase(sweep.name)
            let freshDatabase = fresh.sweepDatabase(sweep.name)
            let keptEpochs = try #require(keptDatabase.epochs())
            let freshEpochs = try #require(freshDatabase.epochs())
            #expect(keptEpochs.count == sweep.trialCount)
            #expect(Self.untimed(keptEpochs).isIdentical(to: Self.untimed(freshEpochs)))
            let keptTrials = try #require(keptDatabase.trials())
            let freshTrials = try #require(freshDatabase.trials())
            #expect(keptTrials.map(\.id) == freshTrials.map(\.id))
            for (a, b) in zip(keptTrials, freshTrials) {
                #expect(a.status == .completed && b.status == .completed, "\(a.id)")
                #expect(Self.bits(a.test) == Self.bits(b.test), "\(a.id): \(a.test) vs \(b.test)")
                #expect(a.testConfusion == b.testConfusion, "\(a.id)")
                #expect(a.parameterCount == b.parameterCount, "\(a.id)")
            }
            let keptPIDs = Set(keptTrials.compactMap(\.workerPID))
            let freshPIDs = Set(freshTrials.compactMap(\.workerPID))
            #expect(keptPIDs.count <= 2, "two workers trained all six trials: \(keptPIDs)")
            #expect(freshPIDs.count == sweep.trialCount, "one process per trial: \(freshPIDs)")
            // The figure `run` printed is the report's too.
            let html = try kept.run(["report", sweep.name, "--format", "html"])
            #expect(html.status == 0, "\(html)")
            #expect(html.stdout.contains("Workers busy") && html.stdout.contains("of their time in training"))
            let freshHTML = try fresh.run(["report", sweep.name, "--format", "html"])
            #expect(freshHTML.stdout.contains("Workers busy"), "a run with fresh workers measures it too")
            // `run` reaps its workers before it returns.
            for pid in keptPIDs.map(Int32.init) {
                #expect(waitFor("worker \(pid) to be gone") { ProcessProbe.isGone(pid) ? true : nil } == true)
            }
        }

        /// One `rnnsweep worker` process trains trial A, then B (other parameters, the same data), then A again in a
        /// new folder: the third run of A has the bits of the first — every epoch's metrics, the test metrics and
        /// the final weights. The worker keeps its process between trials, ends each with a `trial_end` line, and
        /// exits 0 when its stdin closes.
        @Test func aTrialRunFirstOrThirdInOneWorkerGivesTheSameBits() throws {
            let workspace = try SweepWorkspace()
            let data = workspace.directory.appendingPathComponent("x.npz").path
            try DataIdentityTests.writeData(at: data, seed: 3, count: 200)
            func request(_ overrides: [String: ParameterValue], folder: String) throws -> WorkerRequest {
                let parameters = try TrainingParameters.resolve(
                    ["dataset": .string("npz"), "data_dir": .string(data), "epochs": .int(4), "batch_size": .int(16)]
                        .merging(overrides) { $1 })
                return WorkerRequest(
                    parameters: parameters,
                    checkpointDirectory: workspace.directory.appendingPathComponent(folder).path,
                    threads: 1, coordinatorPID: nil)
            }
            let a = try request(["cell": .string("gru"), "units": .int(12), "dropout": .double(0.2)], folder: "a1")
            let b = try request(["cell": .string("simple_rnn"), "units": .int(20), "seed": .int(7)], folder: "b")
            let again = try request(["cell": .string("gru"), "units": .int(12), "dropout": .double(0.2)], folder: "a3")

            let worker = try WorkerPipe(in: workspace.directory)
            var runs: [[TrainingEvent]] = []
            for request in [a, b, again] {
                let (events, status) = try worker.train(request)
                #expect(status == WorkerExit.completed, "\(events)")
                runs.append(events)
            }
            #expect(worker.finish() == 0, "a worker whose stdin closes between trials exits 0")

            let first = runs[0].compactMap(\.epochMetrics).map(Self.untimed)
            let third = runs[2].compactMap(\.epochMetrics).map(Self.untimed)
            #expect(first.count == 4)
            #expect(first.count == third.count && zip(first, third).allSatisfy { $0.isIdentical(to: $1) })
            let firstTest = try #require(runs[0].compactMap(\.finishedEvent).first)
            let thirdTest = try #require(runs[2].compactMap(\.finishedEvent).first)
            #expect(Self.bits(firstTest.test) == Self.bits(thirdTest.test))
            #expect(firstTest.testPassSeconds != nil, "the test pass's seconds count as busy time")
            #expect(try weights(a, data: data) == weights(again, data: data))
            #expect(try weights(a, data: data) != weights(b, data: data))
        }

        /// A worker killed with SIGKILL during the third trial it trains: that trial alone fails (killed by signal
        /// 9), the trials before it stay completed, and the next trial runs in a new worker process.
        @Test func aWorkerKilledDuringItsThirdTrialFailsOnlyThatTrial() throws {
            let sweep = TinySweep(name: "persist-kill", epochs: 8)
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "1"])
            let database = workspace.sweepDatabase(sweep.name)

            // The third trial, past its first epoch, in the process that trained the first two.
            let victim = waitFor("the third trial's first epoch, in the first two trials' worker") {
                () -> TrialRow? in
                guard let trials = database.trials(), trials.count == sweep.trialCount,
                    trials[0].status == .completed, trials[1].status == .completed, let pid = trials[0].workerPID,
                    trials[1].workerPID == pid, trials[2].workerPID == pid, trials[2].status == .running,
                    (trials[2].lastEpoch ?? 0) >= 1, ProcessProbe.parent(of: Int32(pid)) == coordinator.pid
                else { return nil }
                return trials[2]
            }
            guard let victim, let pid = victim.workerPID else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            #expect(kill(Int32(pid), SIGKILL) == 0)
            let result = coordinator.wait()
            #expect(result.status == 1 && !result.signaled, "\(result)")
            #expect(result.stdout.contains("summary: 3 completed, 1 failed"), "\(result)")

            let trials = try #require(database.trials())
            for trial in trials where trial.id != victim.id {
                #expect(trial.status == .completed, "\(trial.id): \(trial.error ?? "")")
            }
            let failed = try #require(trials.first { $0.id == victim.id })
            #expect(failed.status == .failed)
            #expect(failed.signal == 9 && failed.exitStatus == nil)
            #expect(failed.error?.contains("signal 9") == true, "\(failed.error ?? "no error text")")
            #expect(trials[3].workerPID != nil && trials[3].workerPID != pid, "a new worker took the next trial")
            let epochs = try #require(database.epochs())
            for trial in trials where trial.id != victim.id {
                #expect(epochs[trial.id]?.map(\.epoch) == Array(1...sweep.epochs), "\(trial.id)")
            }
        }

        /// A worker stopped (SIGSTOP) during its second trial is killed as stalled: that trial fails, and a new
        /// process trains the rest.
        @Test func aStalledPersistentWorkerIsKilledAndReplaced() throws {
            var sweep = TinySweep(name: "persist-stall", epochs: 8)
            sweep.units = [16]
            sweep.seeds = [1, 2]
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", sweep.yaml)
            let coordinator = try workspace.start(["run", file, "--workers", "1", "--stall-timeout", "3"])
            let database = workspace.sweepDatabase(sweep.name)

            let victim = waitFor("the second trial past its first epoch, in the first trial's worker") {
                () -> TrialRow? in
                guard let trials = database.trials(), trials.count == sweep.trialCount,
                    trials[0].status == .completed, let pid = trials[0].workerPID, trials[1].workerPID == pid,
                    trials[1].status == .running, (trials[1].lastEpoch ?? 0) >= 1,
                    (trials[1].lastEpoch ?? 0) <= sweep.epochs - 3,
                    ProcessProbe.parent(of: Int32(pid)) == coordinator.pid
                else { return nil }
                return trials[1]
            }
            guard let victim, let pid = victim.workerPID else {
                coordinator.send(SIGKILL)
                _ = coordinator.wait()
                return
            }
            #expect(kill(Int32(pid), SIGSTOP) == 0)
            let result = coordinator.wait()
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("summary: 3 completed, 1 failed"), "\(result)")
            let trials = try #require(database.trials())
            let failed = try #require(trials.first { $0.id == victim.id })
            #expect(failed.status == .failed)
            #expect(failed.error?.hasPrefix("stalled: no event for") == true, "\(failed.error ?? "")")
            #expect(failed.signal == Int(SIGKILL))
            #expect(ProcessProbe.isGone(Int32(pid)))
            for trial in trials where trial.id != victim.id {
                #expect(trial.status == .completed, "\(trial.id): \(trial.error ?? "")")
            }
            #expect(trials[2].workerPID != pid && trials[3].workerPID != pid, "a new worker took the rest")
        }

        /// The final weights of `request`'s checkpoint.
        private func weights(_ request: WorkerRequest, data: String) throws -> [Float] {
            var config = try TrainingConfig(parameters: request.parameters)
            let splits = try DatasetLoader.load(config.dataset)
            config.dataFingerprint = try splits.fingerprint(cache: nil)
            let trainer = try Trainer(
                config: config, data: splits, checkpointDirectory: URL(fileURLWithPath: request.checkpointDirectory),
                resume: true)
            #expect(trainer.completedEpochs == config.epochs)
            return trainer.model.parameters.valueArray
        }

        /// `metrics` without its seconds, which no two runs share.
        static func untimed(_ metrics: EpochMetrics) -> EpochMetrics {
            var metrics = metrics
            metrics.seconds = 0
            return metrics
        }

        static func untimed(_ epochs: [String: [EpochMetrics]]) -> [String: [EpochMetrics]] {
            epochs.mapValues { $0.map(untimed) }
        }

        /// Metric values as bit patterns, for exact comparison.
        static func bits(_ metrics: [Metric: Double]) -> [Metric: UInt64] { metrics.mapValues(\.bitPattern) }
    }
}

/// An `rnnsweep worker` process driven over its pipes as a local coordinator drives it: a request a line on stdin,
/// events back on stdout until the `trial_end` line.
private final class WorkerPipe {
    private let process = ChildProcess(executableURL: RNNSweepBinary.url, arguments: ["worker"])
    private let stdin = Pipe()
    private let stdout = Pipe()
    private var buffer = Data()

    init(in directory: URL) throws {
        process.currentDirectoryURL = directory
        process.standardInput = .pipe(stdin)
        process.standardOutput = .pipe(stdout)
        process.standardError = .nullDevice
        try process.run()
    }

    /// Sends `request` and reads its events up to its end line; returns them and the status the line carries.
    func train(_ request: WorkerRequest) throws -> ([TrainingEvent], Int32?) {
        var line = try JSONEncoder().encode(request)
        line.append(0x0A)
        try stdin.fileHandleForWriting.write(contentsOf: line)
        var events: [TrainingEvent] = []
        while let text = nextLine() {
            if text.contains("\"trial_end\"") {
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                return (events, (object?["status"] as? Int).map(Int32.init))
            }
            events.append(try TrainingEvent(jsonLine: text))
        }
        return (events, nil)
    }

    /// Closes stdin and returns the exit status.
    func finish() -> Int32 {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            buffer.append(data)
        }
    }
}

extension TrainingEvent {
    fileprivate var epochMetrics: EpochMetrics? {
        if case .epoch(let m) = self { return m }
        return nil
    }

    fileprivate var finishedEvent: Finished? {
        if case .finished(let f) = self { return f }
        return nil
    }
}
