import RNNTraining

/// A model-based search: wraps the rule that runs the trials (the grid's order, successive halving) and adds
/// configurations proposed by ``TPESampler`` in generations.
///
/// Generation 0 is the start-up samples (random search's first S samples, registered before the run). Generation
/// g ≥ 1 is `batch` proposals made from the results of generations < g only, and only once every trial of those
/// generations has settled: completed, stopped by a rung, diverged, or failed with no retry left. So the proposals
/// depend on recorded facts alone, never on which result arrived first or how many workers ran: the same file gives
/// the same trials for 1 or 64 workers, locally or on Slurm, interrupted or not.
///
/// A configuration's result is the mean over its trials (its seeds, and its grid points when the search is
/// crossed with a grid) of the metric at the last epoch each reached; a configuration a rung stopped is ranked as
/// Optuna ranks a pruned trial (``TPESampler``). A configuration with a trial that has no finite value (diverged,
/// failed) gives no observation, as Optuna leaves failed trials out.
///
/// Rebuilt from ``SchedulerFacts``: a configuration is recognized by its searched parameters' values, and its sample
/// index is the order in which configurations first appear in the trials' ordinals (samples are outermost), so a
/// resumed run counts the generations already added and never proposes one twice.
struct TPEScheduler<Inner: TrialScheduler>: TrialScheduler {
    private var inner: Inner
    private let sampler: TPESampler
    private let metric: MetricKey
    private let make: TrialMaker
    private let batch: Int
    private let startup: Int
    /// Every trial of the sweep, in ordinal order.
    private var trials: [TrialSpec]
    /// Each configuration in sample order, with its trials' ids.
    private var samples: [(configuration: [String: ParameterValue], trials: [String])] = []
    private var sampleOf: [[String: ParameterValue]: Int] = [:]
    private var settled: Set<String> = []
    private var stopped: Set<String> = []
    /// Each trial's recorded metric by epoch.
    private var values: [String: [Int: Double]] = [:]
    /// Set when the space or the experiment gives no new configuration: nothing more is added.
    private(set) var exhaustedReason: String?
    /// Earlier sweeps' results (``SchedulerFacts/warmStart``): the sampler's oldest observations, never proposed again.
    private let warmStart: [TPESampler.Observation]

    /// `metric` is the halving rule's metric, or the sweep's objective without halving.
    init(inner: Inner, space: SearchSpace, metric: MetricKey, facts: SchedulerFacts, make: @escaping TrialMaker) {
        self.inner = inner
        self.metric = metric
        self.make = make
        warmStart = facts.warmStart
        if case .tpe(let batch, let startup) = space.method {
            (self.batch, self.startup) = (batch, startup)
        } else {
            (self.batch, self.startup) = (SearchMethod.defaultBatch, space.samples)
        }
        sampler = TPESampler(space: space, higherIsBetter: metric.metric.higherIsBetter)
        trials = []
        for (id, status) in facts.status {
            switch status {
            case .completed, .diverged: settled.insert(id)
            case .stopped: settled.insert(id); stopped.insert(id)
            case .failed where facts.retries == 0: settled.insert(id)
            default: break
            }
        }
        for (id, epochs) in facts.epochs {
            for epoch in epochs { if let v = epoch.value(metric) { values[id, default: [:]][epoch.epoch] = v } }
        }
        register(facts.trials)
        if samples.count < min(startup, space.samples) {
            // `exclude:` removed every grid point of a start-up sample: the generations' sample indices would not
            // follow from the trials, so TPE adds nothing rather than guess.
            exhaustedReason =
                "the start-up gave \(samples.count) of \(min(startup, space.samples)) configurations (exclude: "
                + "removed the others); TPE proposes nothing"
        }
    }

    private mutating func register(_ added: [TrialSpec]) {
        for trial in added {
            trials.append(trial)
            let configuration = Self.configuration(trial, sampler.space)
            if let k = sampleOf[configuration] {
                samples[k].trials.append(trial.id)
            } else {
                sampleOf[configuration] = samples.count
                samples.append((configuration, [trial.id]))
            }
        }
    }

    static func configuration(_ trial: TrialSpec, _ space: SearchSpace) -> [String: ParameterValue] {
        Dictionary(
            uniqueKeysWithValues: space.dimensions.compactMap { d in trial.parameters.value(d.key).map { (d.key, $0) } }
        )
    }

    /// The generation sample `k` belongs to.
    func generation(ofSample k: Int) -> Int { k < startup ? 0 : 1 + (k - startup) / batch }

    /// The observations of the configurations sampled so far, in sample order.
    var observations: [TPESampler.Observation] {
        samples.compactMap { sample in
            var sum = 0.0
            var reached = 0
            for id in sample.trials {
                guard let last = values[id]?.max(by: { $0.key < $1.key }), last.value.isFinite else { return nil }
                sum += last.value
                reached = max(reached, last.key)
            }
            let wasStopped = sample.trials.contains { stopped.contains($0) }
            return TPESampler.Observation(
                configuration: sample.configuration, value: sum / Double(sample.trials.count),
                stoppedAt: wasStopped ? reached : nil)
        }
    }

    /// The next generation's trials and reason, when every trial so far has settled and samples remain.
    private mutating func nextGeneration() -> SchedulerDecision? {
        guard exhaustedReason == nil, samples.count < sampler.space.samples, samples.count >= startup,
            trials.allSatisfy({ settled.contains($0.id) })
        else { return nil }
        let g = generation(ofSample: samples.count)
        let learned = warmStart + observations
        var known = Set(samples.map(\.configuration) + warmStart.map(\.configuration))
        var added: [TrialSpec] = []
        var rejected = 0
        var k = samples.count
        while k < min(startup + g * batch, sampler.space.samples) {
            let settings: [ParameterSetting]
            do {
                settings = try sampler.propose(sample: k, observations: learned, known: known)
            } catch {
                exhaustedReason = error.message
                break
            }
            known.insert(Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0.value) }))
            let last = (
                ordinal: (trials + added).last?.ordinal ?? 0, gridPoint: (trials + added).map(\.gridPoint).max() ?? 0
            )
            do {
                added += try make(settings, last)
                k += 1
            } catch {
                // An invalid combination (an exclusion, a clash with a grid point): drawn again, deterministically.
                rejected += 1
                if rejected >= 1000 {
                    exhaustedReason = "1000 TPE proposals in a row gave invalid configurations: \(error)"
                    break
                }
            }
        }
        guard !added.isEmpty else { return nil }
        register(added)
        inner.admit(added)
        return .added(
            added,
            reason: "TPE generation \(g) from \(learned.count) results"
                + (warmStart.isEmpty ? "" : " (\(warmStart.count) of them from the warm start)"))
    }

    var runnableCount: Int { inner.runnableCount }

    /// The rule's count: TPE itself stops nothing.
    var stoppedCount: Int { inner.stoppedCount }

    /// The rule's lines for its rung decisions; an addition says which generation it is.
    func log(_ decisions: [SchedulerDecision]) -> [String] {
        guard case .added(let trials, let reason)? = decisions.first else { return inner.log(decisions) }
        return ["\(trials.count) trial(s) added: \(reason)"]
    }

    var isFinished: Bool {
        inner.isFinished && (samples.count >= sampler.space.samples || exhaustedReason != nil)
    }

    mutating func next() -> ScheduledRun? { inner.next() }

    mutating func recorded(trial: String, epoch: EpochMetrics) {
        if let v = epoch.value(metric) { values[trial, default: [:]][epoch.epoch] = v }
        inner.recorded(trial: trial, epoch: epoch)
    }

    mutating func resumed(trial: String, from epoch: Int) {
        values[trial] = values[trial]?.filter { $0.key <= epoch }
        settled.remove(trial)
        stopped.remove(trial)
        inner.resumed(trial: trial, from: epoch)
    }

    mutating func ended(trial: String, _ ending: AttemptEnding) {
        switch ending {
        case .completed, .diverged, .failed(willRetry: false): settled.insert(trial)
        case .paused, .interrupted, .failed(willRetry: true): settled.remove(trial)
        }
        inner.ended(trial: trial, ending)
    }

    mutating func decisions() -> [SchedulerDecision] {
        var decisions = inner.decisions()
        for case .rung(_, _, _, let stopping) in decisions {
            settled.formUnion(stopping)
            stopped.formUnion(stopping)
        }
        if let generation = nextGeneration() { decisions.append(generation) }
        return decisions
    }

    mutating func admit(_ added: [TrialSpec]) {
        register(added)
        inner.admit(added)
    }
}
