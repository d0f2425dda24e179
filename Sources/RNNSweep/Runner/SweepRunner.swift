import Dispatch
import Foundation
import RNNTraining

/// What a coordinator registers and runs: the sweep's name and stored description, and its trials.
public struct SweepDefinition: Sendable {
    public var name: String
    public var description: String
    public var experimentPath: String
    /// The resolved experiment, stored with the sweep.
    public var experimentJSON: String
    public var varyingKeys: [String]
    public var trials: [TrialSpec]
    /// Stored with the sweep for its report: the experiment file as written, and the command line that ran it.
    public var experimentText: String?
    public var command: String?
    /// Successive halving, when the experiment asks for it.
    public var earlyStopping: SuccessiveHalving?
    /// How `earlyStopping` is applied (synchronous halving, asynchronous halving, Hyperband).
    public var halvingMethod: HalvingMethod = .successiveHalving
    /// The experiment, when the sweep is run from its file: a scheduler that adds trials expands them from it.
    public var experiment: Experiment?
    /// A scheduler given directly instead of the one the definition chooses (``SchedulerChoice``): for tests and
    /// replays.
    var scheduler: (@Sendable (SchedulerFacts, TrialMaker?) -> any TrialScheduler)?
    /// A cost model given directly instead of the one learned and calibrated for a deadline: for tests only (no
    /// command reaches it), so that which trials fit does not depend on the machine's speed.
    var trialCost: TrialCost?

    /// From an experiment file and its expansion.
    public init(experiment: Experiment, sweep: ExpandedSweep) {
        name = experiment.name
        description = experiment.description
        experimentPath = experiment.path
        experimentJSON = experiment.resolvedContent
        varyingKeys = sweep.varyingKeys
        trials = sweep.trials
        earlyStopping = experiment.earlyStopping?.rule
        halvingMethod = experiment.earlyStopping?.method ?? .successiveHalving
        self.experiment = experiment
    }

    /// From the database alone (`rnnsweep sync`): the sweep row as the last `run` registered it, and its current
    /// trials rebuilt from their stored parameters (superseded rows are not the definition's).
    public init(stored row: SweepRow, trials allRows: [TrialRow]) throws(SweepRunError) {
        let rows = allRows.filter { !$0.isSuperseded }
        name = row.name
        description = row.description ?? ""
        experimentPath = row.experimentPath ?? ""
        experimentJSON = row.experimentJSON
        varyingKeys = row.varyingKeys
        experimentText = row.experimentText
        earlyStopping = Self.earlyStopping(inExperimentJSON: row.experimentJSON)
        halvingMethod = HalvingMethod.stored(inExperimentJSON: row.experimentJSON) ?? .successiveHalving
        var trials: [TrialSpec] = []
        for trial in rows {
            do {
                let parameters = try JSONDecoder().decode(TrainingParameters.self, from: Data(trial.paramsJSON.utf8))
                var spec = TrialSpec(ordinal: trial.ordinal, parameters: parameters, gridPoint: trial.gridPoint)
                spec.dataFingerprint = trial.dataFingerprint
                trials.append(spec)
            } catch {
                throw .store(
                    "trial \(trial.id) of sweep \(row.name) has parameters this rnnsweep cannot read: \(error)")
            }
            // The row's id is its parameters' with its data's fingerprint, or (a row from before fingerprints, or
            // matched with one) its parameters' alone.
            let parameters = trials.last!.parameters
            let ids = [parameters.identity(data: trial.dataFingerprint), parameters.identity]
            guard ids.contains(trial.id) else {
                throw .store("trial \(trial.id) of sweep \(row.name): its stored parameters give the id \(ids[0])")
            }
            trials[trials.count - 1].id = trial.id
        }
        self.trials = trials
    }

    /// The successive-halving rule stored in an experiment's resolved JSON (`Experiment.resolvedContent`).
    static func earlyStopping(inExperimentJSON json: String) -> SuccessiveHalving? {
        struct Stored: Decodable {
            struct Halving: Decodable {
                var metric: String
                var min_epochs: Int
                var reduction_factor: Int
            }
            var early_stopping: Halving?
        }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)).early_stopping,
            let metric = MetricKey(name: stored.metric), metric.split == .validation, stored.min_epochs >= 1,
            stored.reduction_factor >= 2
        else { return nil }
        return SuccessiveHalving(metric: metric, minEpochs: stored.min_epochs, reductionFactor: stored.reduction_factor)
    }
}

/// The coordinator: it registers the sweep and its trials, then keeps the launcher busy with what the queue says
/// runs next, hands every event to the recorder (the only writer of the database), decides how each attempt ended,
/// and stops everything on SIGINT, SIGTERM or SIGHUP. It knows nothing of YAML (it is handed an expanded sweep) and
/// nothing of how a trial trains.
public final class SweepRunner {
    let definition: SweepDefinition
    let options: SweepRunOptions
    let reporter: SweepReporter

    public init(definition: SweepDefinition, options: SweepRunOptions, reporter: SweepReporter) {
        self.definition = definition
        self.options = options
        self.reporter = reporter
    }

    public convenience init(
        experiment: Experiment, sweep: ExpandedSweep, options: SweepRunOptions, reporter: SweepReporter
    ) {
        self.init(
            definition: SweepDefinition(experiment: experiment, sweep: sweep), options: options, reporter: reporter)
    }

    public func run() throws(SweepRunError) -> SweepSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let startDate = Date()
        // The data first, before anything is written: read, checked, fingerprinted; the trials get their ids.
        let planned = definition.trials.filter { options.shard?.contains($0) ?? true }
        // Memory first: a trial that cannot fit is refused before its data is generated or anything is written.
        var memory: SweepMemory
        do {
            memory = try SweepMemory.generated(
                planned, limit: MemoryLimit.forRun(options.memoryLimit, executor: options.executor))
        } catch {
            throw .data("\(error)")
        }
        if let refusal = memory.refusal(planned) { throw .memory(refusal) }
        let data: SweepData
        do {
            data = try SweepData.check(planned, cacheDirectory: SweepData.cacheDirectory(database: options.databaseURL))
            try memory.add(data)
        } catch {
            throw .data("\(error)")
        }
        if let refusal = memory.refusal(data.trials) { throw .memory(refusal) }
        let checked = data.trials
        // Read-only and once, before anything is registered: an unknown sweep stops the run here.
        var warmStart: WarmStart?
        if let experiment = definition.experiment {
            do {
                warmStart = try WarmStart.load(database: options.databaseURL, experiment: experiment, trials: checked)
            } catch {
                throw .warmStart(error)
            }
        }
        let workspace = try SweepSetup.open(
            database: options.databaseURL, sweepName: definition.name, description: definition.description,
            experimentPath: definition.experimentPath,
            experimentJSON: warmStart.map { definition.experiment!.resolvedContent(warmStartTrials: $0.usedTrials) }
                ?? definition.experimentJSON,
            varyingKeys: definition.varyingKeys, experimentText: definition.experimentText,
            command: definition.command, trials: checked, dataVersions: data.versions,
            executorJSON: options.executor.json,
            // By parameters, over every shard's trials: a row of an older data version keeps being shown (split by
            // `data`, as the data check warns), a row whose parameters the edited file dropped is superseded.
            superseding: .outside(definition: Set(definition.trials.map { SupersededTrials.key($0.parameters) })))
        let trials = workspace.trials
        defer { withExtendedLifetime((workspace.lock, workspace.ownership)) {} }
        // Once the sweep is ours (a second coordinator is refused before printing anything).
        if let takeover = workspace.ownership.takeover { reporter.note(takeover) }
        for line in data.lines(verbose: false) { reporter.note(line) }
        for line in warmStart?.lines ?? [] { reporter.note(line) }
        for warning in data.warnings { reporter.warning(warning) }
        let mailbox = Mailbox<LaunchMessage>()
        let recorder = SweepRecorder(
            store: workspace.store, sweepID: workspace.sweepID, stopRequested: { mailbox.hasPendingSignal })
        var summary = SweepSummary()
        summary.total = trials.count

        // A worker that dies before reading its request would otherwise kill the coordinator with SIGPIPE when the
        // request is written; ignored, the write just fails and the worker's exit is recorded as its trial's failure.
        // Restored afterwards: the disposition is process-wide, and a library caller may rely on its own.
        let pipeDisposition = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, pipeDisposition) }
        let signals = SignalTrap(signals: [SIGINT, SIGTERM, SIGHUP]) { mailbox.post(signal: $0) }
        defer { signals.restore() }
        let deliver: @Sendable (LaunchMessage) -> Void = { mailbox.post($0) }
        reporter.presentation = options.executor.presentation
        let launcher = try options.executor.launcher(
            options: options, sweepName: definition.name, workspace: workspace, recorder: recorder, deliver: deliver)
        var facts = try SchedulerFacts(workspace: workspace, trials: trials, retries: options.retries)
        facts.warmStart = warmStart?.observations ?? []
        var loop = CoordinatorLoop(
            options: options, launcher: launcher, recorder: recorder, reporter: reporter, summary: summary,
            workspace: workspace, label: label,
            scheduler: SchedulerChoice.make(
                for: definition, facts: facts,
                makeTrials: definition.experiment.map {
                    TrialMaking.maker(experiment: $0, dataCache: workspace.dataCache)
                }),
            bounded: definition.earlyStopping != nil)
        if let spec = options.deadline {
            loop.deadline = try deadline(spec, start: startDate, trials: trials, store: workspace.store)
        }
        loop.etaCost = loop.deadline?.cost ?? etaCost(trials, store: workspace.store)
        let loopStart = clock.now
        try loop.run(trials: trials, mailbox: mailbox)
        summary = loop.summary
        if case .local = options.executor {
            summary.busy.lanes(launcher.capacity)
            summary.busy.wallSeconds = (clock.now - loopStart).seconds
            // A figure for the report, not a result: a database that cannot take it now only loses the figure.
            if let fraction = summary.busy.fraction {
                try? workspace.store.setBusyFraction(sweep: workspace.sweepID, fraction)
            }
        } else {
            summary.busy = WorkerBusyTime()
        }
        summary.seconds = (clock.now - start).seconds
        reporter.end(summary)
        return summary
    }

    /// The run's deadline, with the cost model of its trials (the definition's given one, or the database's history
    /// and a calibration of what it lacks).
    private func deadline(_ spec: DeadlineSpec, start: Date, trials: [TrialSpec], store: MetricsStore)
        throws(SweepRunError) -> RunDeadline
    {
        var cost = definition.trialCost
        if cost == nil {
            do {
                cost = try PlanEstimate.costModel(
                    trials: trials, threads: options.threadsPerWorker, database: options.databaseURL,
                    executable: options.workerExecutable, history: TrialCost.history(store)
                ).0
            } catch {
                throw .data("the cost model for the deadline could not be calibrated: \(error)")
            }
        }
        return RunDeadline(instant: spec.instant(start: start), label: spec.label, cost: cost!)
    }

    /// The cost model the live ETA starts from: the definition's, or the database's history and a calibration of the
    /// shapes it lacks (as `plan`'s). Without one (a detached run shows no ETA; a calibration that fails), the ETA
    /// learns from the run's epochs alone.
    private func etaCost(_ trials: [TrialSpec], store: MetricsStore) -> TrialCost? {
        guard !options.detach else { return nil }
        return definition.trialCost
            ?? (try? PlanEstimate.costModel(
                trials: trials, threads: options.threadsPerWorker, database: options.databaseURL,
                executable: options.workerExecutable, history: TrialCost.history(store)
            ).0)
    }

    /// The varying parameters and seed of a trial, e.g. `cell=gru units=64 seed=1`.
    func label(_ trial: TrialSpec) -> String {
        (definition.varyingKeys.map { "\($0)=\(trial.parameters.value($0)?.description ?? "-")" } + [
            "seed=\(trial.seed)"
        ])
        .joined(separator: " ")
    }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}
