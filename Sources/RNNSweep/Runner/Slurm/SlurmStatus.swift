import Foundation

/// Slurm tasks as `status` shows them: the state `squeue` gives now when it can be asked, else the last one the
/// coordinator recorded — then with a line saying since when the controller has not been answering.
enum SlurmStatus: ExecutorStatusSource {
    /// The `slurm` column (each in-flight task's job and state), the detached line, and the controller's line when
    /// `squeue` does not answer.
    static func statusSection(
        store: MetricsStore, sweep: SweepRow, runDirectory: URL, stored: ExecutorChoice?
    ) throws -> ExecutorStatusSection? {
        let slurm = live(
            try store.slurmTasksInFlight(sweep: sweep.id), runDirectory: runDirectory,
            settings: { if case .slurm(let settings) = stored { settings } else { nil } }())
        return section(slurm.tasks, controller: slurm.controller, sweepName: sweep.name)
    }

    /// The section for tasks in flight (as `live` gave them), nil without any.
    static func section(_ tasks: [SlurmTaskRow], controller: String?, sweepName: String) -> ExecutorStatusSection? {
        guard !tasks.isEmpty else { return nil }
        // A trial with two tasks in flight shows the later one.
        let cells = Dictionary(tasks.map { ($0.trialID, describe($0)) }, uniquingKeysWith: { _, later in later })
        return ExecutorStatusSection(
            column: "slurm", cells: cells,
            detachedLine:
                "coordinator: none (detached); \(tasks.count) trial(s) on Slurm — `rnnsweep sync \(sweepName)` follows them",
            lines: controller.map { ["slurm: \($0)"] } ?? [])
    }

    /// `status` is interactive: it waits for `squeue` at most this long (or the sweep's shorter command_timeout).
    static let statusTimeout: Double = 10

    /// The tasks with their live state, and a `controller not answering since …` line when `squeue` gets no answer.
    /// A trial whose array task runs others and has not reached it yet is shown pending behind them.
    static func live(_ tasks: [SlurmTaskRow], runDirectory: URL, settings: SlurmSettings?) -> (
        tasks: [SlurmTaskRow], controller: String?
    ) {
        guard !tasks.isEmpty, SlurmClient.find("squeue") != nil else { return (tasks, nil) }
        let client = SlurmClient(
            timeout: min(statusTimeout, settings?.effectiveCommandTimeout ?? statusTimeout), signals: nil)
        let queue: [String: SlurmClient.QueuedTask]
        do {
            queue = try client.queue(jobs: Array(Set(tasks.map(\.jobID))).sorted())
        } catch {
            guard error.controllerNotAnswering else { return (tasks, nil) }
            // What the coordinator recorded says since when; without a record, since this look.
            var health = SlurmControllerHealth.read(runDirectory: runDirectory) ?? SlurmControllerHealth()
            if health.notAnsweringSince == nil { health.notAnsweringSince = Date() }
            health.lastError = error.description
            return (tasks, (health.statusLine ?? "") + "; task states below are the last recorded")
        }
        let live = tasks.map { task in
            var task = task
            if let now = queue[task.slurmID] {
                task.state = now.state
                task.reason = now.reason
                task.node = now.node
                if now.state == "RUNNING" && task.shared {
                    // The task runs several trials: this one may be still to come, or over.
                    if !FileManager.default.fileExists(atPath: task.eventsFile.path) {
                        task.state = "PENDING"
                        task.reason = waitingReason(task.slurmID)
                        task.node = nil
                    } else if task.endedInItsTask {
                        task.state = "ENDED"
                        task.reason = "not yet recorded"
                        task.node = nil
                    }
                }
            } else {
                task.state = "ENDED"
                task.reason = "not yet recorded"
                task.node = nil
            }
            return task
        }
        return (live, nil)
    }

    /// Why a trial whose array task is running waits: the task runs its other trials first.
    static func waitingReason(_ slurmID: String) -> String { "behind other trials of task \(slurmID)" }

    /// `12_3 PENDING (Priority)`, `12_3 RUNNING on node-4`.
    static func describe(_ task: SlurmTaskRow) -> String {
        var text = "job \(task.slurmID) \(task.state ?? "?")"
        if let node = task.node, task.state == "RUNNING" { text += " on \(node)" }
        if let reason = task.reason { text += " (\(reason))" }
        return text
    }
}
