import Foundation
import RNNTraining

extension PlanEstimate {
    /// Measured trials of ``measureWorkerTrials(_:epochs:wholeData:executable:threads:workers:dataCache:)`` after the first,
    /// at most; it stops earlier once they took `workerTrialBudget` seconds (a large test set makes each one long).
    static let workerTrials = 3
    static let workerTrialBudget = 0.5
    /// Seconds of training steps a calibration trial may take: its epochs are the trial's, up to that.
    static let workerTrialSteps = 0.05
    /// An epoch this short (calibrated) is trained whole by the calibration trials, which then also measure how the
    /// workers slow each other down; a longer one is cut to two batches.
    static let workerTrialWholeEpoch = 0.01

    /// What a trial of `parameters`' data costs beyond its epochs, what a worker pays once, and (on data whose epochs
    /// are short) how much longer its epochs take with `workers` workers at once, measured the way a run pays them.
    /// The `rnnsweep` binary at `executable` is started as a local worker (``WorkerProcess``) and given short real
    /// trials of the same data and shape: `epochs` epochs, on the whole training set when `wholeData`, else on its
    /// first two batches, then the whole test pass, with the checkpoints written durably in a temporary folder, the
    /// events, the data's checks.
    /// - The first trial pays the process's start, reading the data (through `dataCache`, as a run's workers do) and
    ///   the first kernels; with the process's exit, also timed, that is what a worker pays once.
    /// - The median of the others, wall time from request to end minus their epochs' seconds (a first epoch's excess
    ///   over the others counted as the trial's), is what each later trial of `epochs` epochs pays. The calibration
    ///   from parts missed most of it: on a data set of 74 series, 0.6 ms a trial against 4–5 ms measured here, most
    ///   of it the last checkpoint (its metric history encoded, the file and its folder synced).
    /// - On the whole data, when the workers fill the cores, the same trials then run on `workers` workers at once
    ///   (at most as many as this machine's cores hold): the overhead is theirs, and the contention is the median
    ///   over those trials of their epochs' mean against the epochs' mean alone (at least 1). With two workers on two
    ///   cores, real runs' epochs took 1.09 (270 series) and 1.19 (74 series) times as long as alone; this measure
    ///   read 1.0–1.3 on both: noisy, where nothing was counted before. On two-batch epochs it read 1.23 for data
    ///   whose real epochs (a second long) lose nothing.
    /// Nil when it cannot be measured (no process, a failed trial): the estimate then keeps its figures from parts.
    static func measureWorkerTrials(
        _ parameters: TrainingParameters, epochs: Int, wholeData: Bool, executable: URL, threads: Int, workers: Int,
        dataCache: URL?
    ) -> (start: Double, overhead: Double, contention: Double)? {
        var values = parameters.values
        values["epochs"] = .int(max(1, epochs))
        // Every epoch of it, as the estimate counts them.
        values["patience"] = .int(0)
        if !wholeData {
            values["limit"] = .int(
                min(parameters.value("limit")?.intValue ?? Int.max, 2 * parameters.int("batch_size")))
        }
        guard let short = try? TrainingParameters.resolve(values) else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-calibration-\(ProcessInfo.processInfo.processIdentifier)-worker")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil
        else { return nil }
        // A worker that dies before reading its request must not take this process with it.
        let pipeDisposition = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, pipeDisposition) }
        let make = { (lane: Int) in
            CalibrationWorker(
                parameters: short, folder: folder.appendingPathComponent("\(lane)"), executable: executable,
                threads: threads, dataCache: dataCache)
        }
        guard let solo = make(0) else { return nil }
        var lanes = [solo]
        defer { for lane in lanes { lane.finish() } }
        guard let firstWall = solo.trial(), solo.measure(budget: workerTrialBudget) else { return nil }
        let alone = solo.steadyByTrial.flatMap { $0 }
        guard !alone.isEmpty else { return nil }
        // Workers that fill the cores slow each other down (the caches and the memory they share, each other's
        // checkpoint writes, this process reading their events): the same trials on every lane at once say how much.
        var contention = 1.0
        var overhead = solo.overhead!
        // Never more at once than this machine's cores hold: a cluster's workers (a Slurm executor's many tasks)
        // run elsewhere, and this measures only how workers that fill cores like these share them.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let atOnce = min(workers, max(1, cores / max(threads, 1)))
        if wholeData, atOnce > 1, workers * threads >= cores {
            lanes += (1..<atOnce).compactMap(make)
            let trials = solo.overheads.count
            let together = lanes.count == atOnce && Self.onEveryLane(lanes) { $0.trial() != nil }
            if together, Self.onEveryLane(lanes, { lane in lane.measure(trials: trials) }) {
                // Per trial, the mean of its epochs (a slow one is real time), and the median over the trials (one
                // trial that a stray process slowed down says nothing of the night).
                let shared = lanes.flatMap { $0.steadyByTrial.suffix(trials) }.filter { !$0.isEmpty }
                if !shared.isEmpty { contention = max(1, median(shared.map(mean)) / mean(alone)) }
                overhead = median(lanes.flatMap { $0.overheads.suffix(trials) })
            }
        }
        // A run's end waits for its workers to exit, once.
        let exit = solo.finish()
        return (max(0, firstWall - overhead) + exit, overhead, contention)
    }

    /// Runs `body` on every lane at once, each on a thread of its own; whether it held on every one.
    private static func onEveryLane(
        _ lanes: [CalibrationWorker], _ body: @escaping @Sendable (CalibrationWorker) -> Bool
    ) -> Bool {
        let group = DispatchGroup()
        let results = LockedFlags(count: lanes.count)
        for (index, lane) in lanes.enumerated() {
            group.enter()
            Thread {
                results.set(index, body(lane))
                group.leave()
            }.start()
        }
        group.wait()
        return results.all
    }

    /// One worker process of the calibration, with the trials it ran.
    private final class CalibrationWorker: @unchecked Sendable {
        private let worker: WorkerProcess
        private let parameters: TrainingParameters
        private let folder: URL
        private let threads: Int
        private let dataCache: URL?
        private let clock = ContinuousClock()
        private let spawned: ContinuousClock.Instant
        private var trials = 0
        private var exited = false
        /// Each measured trial's seconds beyond its epochs (a first epoch's excess over the others counted as the
        /// trial's: the estimate's epochs are the others' kind).
        private(set) var overheads: [Double] = []
        /// Each measured trial's epochs after its first (its only one, when it had one).
        private(set) var steadyByTrial: [[Double]] = []
        var overhead: Double? { overheads.isEmpty ? nil : PlanEstimate.median(overheads) }

        init?(parameters: TrainingParameters, folder: URL, executable: URL, threads: Int, dataCache: URL?) {
            worker = WorkerProcess(threads: threads, executable: executable)
            self.parameters = parameters
            self.folder = folder
            self.threads = threads
            self.dataCache = dataCache
            spawned = clock.now
            guard (try? worker.start()) != nil else { return nil }
        }

        /// Runs one trial; the seconds since the process was spawned when it was its first, else its wall time,
        /// minus its epochs either way (nil when it did not complete).
        func trial() -> Double? {
            trials += 1
            let request = WorkerRequest(
                parameters: parameters, checkpointDirectory: folder.appendingPathComponent("\(trials)").path,
                threads: threads, coordinatorPID: getpid(), dataCacheDirectory: dataCache?.path)
            let outcome = TrialOutcome()
            let start = trials == 1 ? spawned : clock.now
            guard (try? worker.send(request, deliver: { [clock] in outcome.take($0, at: clock.now) })) != nil,
                outcome.ended.wait(timeout: .now() + 120) == .success, let end = outcome.end, outcome.completed
            else {
                worker.kill9()
                return nil
            }
            let epochs = outcome.epochSeconds
            let rest = Array(epochs.dropFirst())
            let warmUp = rest.isEmpty ? 0 : max(0, epochs[0] - PlanEstimate.median(rest))
            if trials > 1 {
                overheads.append(max(0, (end - start).seconds - epochs.reduce(0, +) + warmUp))
                steadyByTrial.append(rest.isEmpty ? epochs : rest)
            }
            return (end - start).seconds - epochs.reduce(0, +)
        }

        /// Runs trials until `budget` seconds passed or there are `PlanEstimate.workerTrials`; whether any did.
        func measure(budget: Double) -> Bool {
            let start = clock.now
            while overheads.count < PlanEstimate.workerTrials && (clock.now - start).seconds < budget {
                guard trial() != nil else { break }
            }
            return !overheads.isEmpty
        }

        /// Runs `count` more measured trials; whether they all completed.
        func measure(trials count: Int) -> Bool {
            (0..<count).allSatisfy { _ in trial() != nil }
        }

        /// Closes its stdin and waits for its exit (once); the seconds that took.
        @discardableResult
        func finish() -> Double {
            guard !exited else { return 0 }
            exited = true
            let start = clock.now
            worker.finish(waitingUpTo: 5)
            return (clock.now - start).seconds
        }
    }

    /// Flags set from several threads.
    private final class LockedFlags: @unchecked Sendable {
        private let lock = NSLock()
        private var flags: [Bool]

        init(count: Int) { flags = Array(repeating: false, count: count) }

        func set(_ index: Int, _ value: Bool) {
            lock.lock()
            flags[index] = value
            lock.unlock()
        }

        var all: Bool {
            lock.lock()
            defer { lock.unlock() }
            return flags.allSatisfy { $0 }
        }
    }

    /// What a calibration trial's events said, gathered on the worker's reader thread.
    private final class TrialOutcome: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var epochSeconds: [Double] = []
        private(set) var completed = false
        private(set) var end: ContinuousClock.Instant?
        let ended = DispatchSemaphore(value: 0)

        func take(_ event: LaunchEvent, at now: ContinuousClock.Instant) {
            lock.lock()
            defer { lock.unlock() }
            switch event {
            case .event(.epoch(let m)): epochSeconds.append(m.seconds)
            case .event(.finished): completed = true
            case .ended(let how):
                completed = completed && how.exitStatus == WorkerExit.completed
                end = now
                ended.signal()
            default: break
            }
        }
    }
}
