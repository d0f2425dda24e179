/// A Slurm task's memory, as `plan` and `run` hold trials to it.
extension MemoryLimit {
    /// A Slurm `mem:` setting (`4G`, `500M`; a bare number is megabytes, as `sbatch --mem` reads it).
    public static func slurm(_ mem: String) -> MemoryLimit? {
        let bare = mem.last?.isNumber == true
        guard var limit = parse(bare ? mem + "M" : mem) else { return nil }
        limit.source = "the Slurm executor's mem: \(mem)"
        return limit
    }
}

extension SlurmSettings {
    /// `mem:` as a limit; nil without it (the nodes' memory is not known on the submit host).
    var trialMemory: MemoryLimit? { mem.flatMap(MemoryLimit.slurm) }
}
