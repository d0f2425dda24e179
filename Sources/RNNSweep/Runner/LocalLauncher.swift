import Foundation

/// Runs trials as `rnnsweep worker` child processes on this machine, at most `workers` at a time, one per lane.
/// Their events arrive on reader threads and are handed to `deliver` in order.
final class LocalLauncher: TrialLauncher {
    let capacity: Int
    private let executable: URL
    private let deliver: @Sendable (LaunchMessage) -> Void
    private var processes: [Int: WorkerProcess] = [:]
    private var lanes: [Int: Int] = [:]
    private var nextID = 0

    init(workers: Int, executable: URL, deliver: @escaping @Sendable (LaunchMessage) -> Void) {
        capacity = workers
        self.executable = executable
        self.deliver = deliver
    }

    func launch(_ requests: [LaunchRequest]) -> [Result<LaunchedTrial, SweepRunError>] {
        requests.map { request in
            nextID += 1
            let id = nextID
            let lane = (0..<capacity).first { lane in !lanes.values.contains(lane) } ?? 0
            let process = WorkerProcess()
            let deliver = self.deliver
            do {
                try process.start(executable: executable, request: request.request) { event in
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

    func stop(_ trial: LaunchedTrial, force: Bool) {
        guard let process = processes[trial.id] else { return }
        if force { process.kill9() } else { process.terminate() }
    }

    func release(_ trial: LaunchedTrial) {
        processes[trial.id] = nil
        lanes[trial.id] = nil
    }
}
