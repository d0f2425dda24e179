/// How the run's log and summary speak of Slurm: trials go out as array tasks, and a detached coordinator leaves them
/// with the cluster's queue.
struct SlurmPresentation: ExecutorPresentation {
    func placement(workers: Int) -> String { "as Slurm array tasks" }
    var inFlightPlace: String { "queued or running on Slurm" }
}
