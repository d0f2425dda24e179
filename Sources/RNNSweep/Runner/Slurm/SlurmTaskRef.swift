/// A Slurm array task: `<jobID>_<arrayIndex>`, with its submission folder.
struct SlurmTaskRef: Sendable, Hashable {
    var jobID: String
    var arrayIndex: Int
    var folder: String

    var slurmID: String { "\(jobID)_\(arrayIndex)" }
}
