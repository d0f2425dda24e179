import Foundation

/// Runs trials in `rnnsweep worker` child processes on this machine, at most `workers` at a time, one per lane. A
/// lane's process trains trial after trial (``WorkerProcess``): it is kept while it lives and another is started in
/// its place when it dies — a crash, a kill for a stall or a stop — so a dead worker fails only the trial it ran.
/// With `freshWorkers`, every trial gets a process of its own, as before workers stayed (to rule the reuse out when
/// debugging, or to hand each trial's memory back to the system). Their events arrive on reader threads and are
/// handed to `deliver` in order; the coordinator sees one `LaunchedTrial` per trial either way.
final class LocalLauncher: TrialLauncher {
    let capacity: Int
    private let executable: URL
    private let freshWorkers: Bool
    private let deliver: @Sendable (LaunchMessage) -> Void
    /// The process running each launched trial, until it is released.
    private var processes: [Int: WorkerProcess] = [:]
    private var lanes: [Int: Int] = [:]
    /// Each lane's process, kept between trials.
    private var laneProcesses: [Int: WorkerProcess] = [:]
    private var nextID = 0

    init(
        workers: Int, executable: URL, freshWorkers: Bool = false,
        deliver: @escaping @Sendable (LaunchMessage) -> Void
    ) {
        capacity = workers
        self.executable = executable
        self.freshWorkers = freshWorkers
        self.deliver = deliver
    }

    deinit {
        // Idle workers exit when their stdin closes (a coordinator that exits closes it anyway); waited for, so that
        // when `run` returns every worker it started has exited and been reaped.
        for process in laneProcesses.values { process.finish() }
        for process in laneProcesses.values { process.finish(waitingUpTo: 5) }
    }

    func launch(_ requests: [LaunchRequest]) -> [Result<LaunchedTrial, SweepRunError>] {
        requests.map { request in
            nextID += 1
            let id = nextID
            let lane = (0..<capacity).first { lane in !lanes.values.contains(lane) } ?? 0
            let deliver = self.deliver
            let process: WorkerProcess
            do {
                process = try worker(lane: lane, threads: request.request.threads)
                var request = request.request
                if freshWorkers { request.lastTrial = true }
                try process.send(request) { event in
                    deliver(LaunchMessage(launch: id, event: event, cursor: nil))
                }
            } catch {
                return .failure(.launch("could not start a worker: \(error.localizedDescription)"))
            }
            processes[id] = process
            lanes[id] = lane
            let trial = LaunchedTrial(
                id: id, trial: request.trial, attempt: request.attempt,
                location: "worker \(lane + 1) (pid \(process.pid))", lane: lane)
            trial.pid = process.pid
            trial.lastSignOfLife = .now
            return .success(trial)
        }
    }

    /// The lane's idle process, or a new one in its place (the old one, if any, has died or is retired).
    private func worker(lane: Int, threads: Int) throws -> WorkerProcess {
        if let kept = laneProcesses[lane] {
            if !freshWorkers && kept.isIdle && kept.threads == threads { return kept }
            kept.finish()
            laneProcesses[lane] = nil
        }
        let process = WorkerProcess(threads: threads, executable: executable)
        try process.start()
        laneProcesses[lane] = process
        return process
    }

    func stop(_ trial: LaunchedTrial, force: Bool) {
        guard let process = processes[trial.id] else { return }
        if force { process.kill9() } else { process.terminate() }
    }

    func release(_ trial: LaunchedTrial) {
        if freshWorkers, let process = processes[trial.id] { process.finish() }
        processes[trial.id] = nil
        lanes[trial.id] = nil
    }
}
