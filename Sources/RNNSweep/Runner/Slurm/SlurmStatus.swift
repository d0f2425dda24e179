/// Slurm tasks as `status` shows them: the state `squeue` gives now when it can be asked, else the last one the
/// coordinator recorded.
enum SlurmStatus {
    static func live(_ tasks: [SlurmTaskRow]) -> [SlurmTaskRow] {
        guard !tasks.isEmpty, SlurmClient.find("squeue") != nil,
            let queue = try? SlurmClient().queue(jobs: Array(Set(tasks.map(\.jobID))).sorted())
        else { return tasks }
        return tasks.map { task in
            var task = task
            if let now = queue[task.slurmID] {
                task.state = now.state
                task.reason = now.reason
                task.node = now.node
            } else {
                task.state = "ENDED"
                task.reason = "not yet recorded"
                task.node = nil
            }
            return task
        }
    }

    /// `12_3 PENDING (Priority)`, `12_3 RUNNING on node-4`.
    static func describe(_ task: SlurmTaskRow) -> String {
        var text = "job \(task.slurmID) \(task.state ?? "?")"
        if let node = task.node, task.state == "RUNNING" { text += " on \(node)" }
        if let reason = task.reason { text += " (\(reason))" }
        return text
    }
}
