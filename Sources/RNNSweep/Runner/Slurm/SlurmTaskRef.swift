/// A trial's place on Slurm: in place `arrayIndex` of the submission in `folder` (its files `task-<arrayIndex>.*`),
/// run by array task `<jobID>_<arrayTask>`.
struct SlurmTaskRef: Sendable, Hashable {
    var jobID: String
    var arrayIndex: Int
    var arrayTask: Int
    var folder: String

    /// How Slurm's commands name the array task.
    var slurmID: String { "\(jobID)_\(arrayTask)" }
}
