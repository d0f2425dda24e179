import RNNTraining

/// What the coordinator asks a worker to do: one JSON object, on the worker's stdin (local executor; the pipe then
/// stays open and end-of-file means "the coordinator is gone") or in a request file (an executor that starts workers elsewhere).
public struct WorkerRequest: Codable, Sendable, Equatable {
    public var parameters: TrainingParameters
    /// The trial's checkpoint folder. The worker continues from the checkpoint there when there is one: the
    /// coordinator has moved aside any checkpoint that does not belong to this database's trial before asking.
    public var checkpointDirectory: String
    /// Compute threads (a worker started by a cluster scheduler uses the CPUs it allotted instead: ``SweepWorker``).
    public var threads: Int
    /// The coordinator's pid for a local worker, which exits at once if its parent is already someone else;
    /// nil for a worker that a scheduler started.
    public var coordinatorPID: Int32?
    /// Stop after this epoch without testing (a successive-halving rung); nil = train all `epochs` and test.
    public var untilEpoch: Int?
    /// Where decoded datasets are kept between workers (``DecodedDataCache``); nil: read the files every time.
    public var dataCacheDirectory: String?
    /// The fingerprint of the data the trial was planned with (``DataFingerprint``): the worker refuses data that
    /// no longer has it, and keys the checkpoint by it. Nil for generated data and in requests of older rnnsweeps.
    public var dataFingerprint: String?
    /// A local worker's last trial: it exits with the trial's status once it ends, as one-trial workers always did
    /// (`--fresh-workers`), instead of waiting for another request. Nil in requests of older rnnsweeps.
    public var lastTrial: Bool?

    public init(
        parameters: TrainingParameters, checkpointDirectory: String, threads: Int, coordinatorPID: Int32?,
        untilEpoch: Int? = nil, dataCacheDirectory: String? = nil, dataFingerprint: String? = nil
    ) {
        self.parameters = parameters
        self.checkpointDirectory = checkpointDirectory
        self.threads = threads
        self.coordinatorPID = coordinatorPID
        self.untilEpoch = untilEpoch
        self.dataCacheDirectory = dataCacheDirectory
        self.dataFingerprint = dataFingerprint
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
