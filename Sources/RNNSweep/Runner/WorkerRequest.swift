import RNNTraining

/// What the coordinator sends a worker on its standard input: one JSON line, then the pipe stays open. The worker
/// treats end-of-file on stdin as "the coordinator is gone" and exits.
public struct WorkerRequest: Codable, Sendable, Equatable {
    public var sweep: String
    public var trial: String
    public var parameters: TrainingParameters
    public var checkpointDirectory: String
    public var threads: Int
    /// Continue from the checkpoint, if any. False for a trial this database has never started: a checkpoint left in
    /// its directory by another database's run of the same sweep must not stand in for training here.
    public var resume: Bool
    /// The coordinator's pid: a worker whose parent is already someone else exits at once.
    public var coordinatorPID: Int32

    public init(
        sweep: String, trial: String, parameters: TrainingParameters, checkpointDirectory: String, threads: Int,
        resume: Bool, coordinatorPID: Int32
    ) {
        self.resume = resume
        self.sweep = sweep
        self.trial = trial
        self.parameters = parameters
        self.checkpointDirectory = checkpointDirectory
        self.threads = threads
        self.coordinatorPID = coordinatorPID
    }
}

/// Exit statuses of `rnnsweep worker`, which the coordinator maps to trial statuses.
public enum WorkerExit {
    public static let completed: Int32 = 0
    public static let failed: Int32 = 1
    public static let badRequest: Int32 = 2
    public static let diverged: Int32 = 3
    /// The coordinator disappeared (stdin closed or re-parented).
    public static let orphaned: Int32 = 75
}
