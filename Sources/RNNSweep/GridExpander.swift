import RNNTraining

/// One trial of a sweep: a fully resolved parameter set, seed included.
public struct TrialSpec: Codable, Sendable, Hashable {
    /// `parameters.identity(data:)`: stable across runs, so a re-run sweep finds its finished trials. Until the
    /// data is checked (``SweepData``), the identity of the parameters alone.
    public var id: String
    /// 1-based position in the sweep's trial order (the `#` column of the plan).
    public var ordinal: Int
    /// Every parameter, `seed` included.
    public var parameters: TrainingParameters
    /// 1-based number of the grid point; trials that differ only by seed share it.
    public var gridPoint: Int
    /// `parameters.int("seed")`.
    public var seed: Int
    /// The fingerprint of the data files the trial reads, once ``SweepData`` checked them; nil for generated data.
    public var dataFingerprint: String?
    /// What the data check warned of for this trial's data (``SweepData/DataSet/warnings``).
    public var dataWarnings: [String] = []

    /// A trial with the given parameters; `id` and `seed` are taken from them.
    public init(ordinal: Int, parameters: TrainingParameters, gridPoint: Int) {
        self.id = parameters.identity
        self.ordinal = ordinal
        self.parameters = parameters
        self.gridPoint = gridPoint
        self.seed = parameters.int("seed")
    }

    /// Records the data's fingerprint, and the id it gives.
    public mutating func assignData(_ fingerprint: String?) {
        dataFingerprint = fingerprint
        id = parameters.identity(data: fingerprint)
    }
}

/// The trials of an experiment, in run order.
public struct ExpandedSweep: Sendable, Hashable {
    /// Grid blocks in file order; within a block the first key varies slowest; seeds innermost.
    public var trials: [TrialSpec]
    /// Parameters (not `seed`) written in the experiment file whose value differs between trials, in file order.
    /// Values derived from another key and not written in the file (`learning_rate` following `optimizer`'s Keras
    /// default) are not listed: the key they follow already tells them apart, and the book's table has no such
    /// column.
    public var varyingKeys: [String]
    /// Grid points left after exclusions (`trials.count == gridPointCount * seeds.count`).
    public var gridPointCount: Int
    /// The seeds every grid point runs with.
    public var seeds: [Int]
}

/// Turns an `Experiment` into its ordered list of trials. Knows nothing of processes or storage.
public enum GridExpander {
    /// Where a parameter of one grid point comes from, for error positions.
    private typealias Sources = [String: ParameterSetting]

    /// No sweep expands to more trials than this, whatever `maxTrials` asks: the trials are built in memory (and a
    /// grid's size is a product, so a typo reaches billions).
    public static let trialCeiling = 1_000_000

    /// Expands the grid: blocks in file order; within a block the cartesian product with the first key varying
    /// slowest; seeds innermost. Excluded points are dropped; identical points, invalid combinations and more
    /// than `maxTrials` trials are errors. `overrides` (validated values, e.g. `epochs` for a quick test from
    /// `plan --json`'s command line) replace the file's value of their key in every grid point; they are not
    /// written in the file, so errors they cause are placed at its start.
    public static func expand(
        _ experiment: Experiment, maxTrials: Int = 10_000, overrides: [String: ParameterValue] = [:]
    ) throws(ExperimentError) -> ExpandedSweep {
        func fail(_ position: SourcePosition, _ kind: ExperimentError.Kind, _ message: String) -> ExperimentError {
            ExperimentError(path: experiment.path, position: position, kind: kind, message: message)
        }
        let maxTrials = min(maxTrials, trialCeiling)
        var base: Sources = [:]
        for setting in experiment.dataDefaults + experiment.defaults { base[setting.key] = setting }

        let rawTrials =
            rawPointCount(experiment) * Double(experiment.search?.samples ?? 1) * Double(experiment.seeds.count)
        let tooMany = fail(
            experiment.gridPosition, .tooManyTrials(limit: maxTrials),
            "the experiment expands to more than \(maxTrials) trials (\(count: rawPointCount(experiment)) grid points "
                + "before exclusions × \(experiment.seeds.count) seeds); split it or shrink the grid")
        // Without exclusions the count is exact, so don't build the trials to find out.
        if experiment.exclude.isEmpty, rawTrials > Double(maxTrials) { throw tooMany }
        // With exclusions the count is an upper bound; past the ceiling even enumerating the points is refused.
        if rawTrials > Double(trialCeiling) {
            throw fail(
                experiment.gridPosition, .tooManyTrials(limit: trialCeiling),
                "the experiment expands to \(count: rawTrials) trials before exclusions, more than rnnsweep expands "
                    + "in any case (\(trialCeiling)); split it or shrink the grid")
        }

        var expansion = Expansion()
        let samples: [[ParameterSetting]]
        do {
            samples = try experiment.search?.draw() ?? [[]]
        } catch {
            throw fail(experiment.search!.position, .invalidStructure, "search: \(error.message)")
        }
        // Every sample at every grid point: samples outermost, so a sweep cut short has whole samples.
        for sample in samples {
            try expand(
                sample: sample, experiment, base: base, overrides: overrides, maxTrials: maxTrials, tooMany: tooMany,
                fail: fail, into: &expansion)
        }
        let (trials, pointCount) = (expansion.trials, expansion.pointCount)
        guard pointCount > 0 else {
            throw fail(experiment.gridPosition, .emptyGrid, "exclude: removes every grid point; nothing to run")
        }
        if let search = experiment.search, let stopping = experiment.earlyStopping,
            let problem = SearchComposition.problem(search: search, stopping: stopping)
        {
            throw fail(stopping.position, .invalidStructure, problem)
        }
        if let stopping = experiment.earlyStopping { try checkEarlyStopping(stopping, trials, fail: fail) }
        if let search = experiment.search, case .tpe = search.method, let problem = TPEObjective.problem(trials: trials)
        {
            throw fail(search.position, .invalidStructure, problem)
        }
        // Patience watches a validation metric: without one, Keras's rule would never stop anything.
        if let trial = trials.first(where: {
            $0.parameters.int("patience") > 0 && $0.parameters.double("validation_split") <= 0
        }) {
            let position = experiment.defaults.first { $0.key == "patience" }?.position ?? experiment.gridPosition
            throw fail(
                position, .invalidStructure,
                "patience needs validation_split > 0 (its metric), and trial #\(trial.ordinal) has none; set e.g. "
                    + "validation_split: 0.1 at the top level")
        }
        if let problem = experiment.earlyStopping?.hyperbandProblem(configurations: pointCount, trials: trials) {
            throw fail(experiment.earlyStopping!.position, .invalidStructure, "early_stopping: " + problem)
        }
        return ExpandedSweep(
            trials: trials, varyingKeys: varyingKeys(trials, order: experiment.parameterOrder),
            gridPointCount: pointCount, seeds: experiment.seeds)
    }

    /// The trials of one configuration a scheduler proposes while the sweep runs (``TrialMaker``): `sample`'s
    /// settings at every grid point of `experiment` with every seed, by the same expansion as the file's trials,
    /// numbered after `after` (the sweep's last ordinal and grid point so far).
    static func trials(
        of sample: [ParameterSetting], in experiment: Experiment, after: (ordinal: Int, gridPoint: Int)
    ) throws(ExperimentError) -> [TrialSpec] {
        func fail(_ position: SourcePosition, _ kind: ExperimentError.Kind, _ message: String) -> ExperimentError {
            ExperimentError(path: experiment.path, position: position, kind: kind, message: message)
        }
        var base: Sources = [:]
        for setting in experiment.dataDefaults + experiment.defaults { base[setting.key] = setting }
        var expansion = Expansion()
        let tooMany = fail(
            experiment.gridPosition, .tooManyTrials(limit: trialCeiling),
            "a proposed configuration expands to more than \(trialCeiling) trials")
        try expand(
            sample: sample, experiment, base: base, overrides: [:], maxTrials: trialCeiling, tooMany: tooMany,
            fail: fail, into: &expansion)
        return expansion.trials.map { trial in
            var trial = trial
            trial.ordinal += after.ordinal
            trial.gridPoint += after.gridPoint
            return trial
        }
    }

    /// The trials expanded so far: numbered in order, and each grid point's parameters with the choice that gave
    /// them (to name a duplicate).
    struct Expansion {
        var trials: [TrialSpec] = []
        fileprivate var seen: [TrainingParameters: (number: Int, choice: [ParameterSetting])] = [:]
        var pointCount = 0
    }

    /// One sample's settings at every grid point of `experiment` (blocks in file order, the first key slowest),
    /// every seed innermost, appended to `expansion` after the trials and grid points it holds. Excluded points are
    /// dropped; identical points, invalid combinations and more than `maxTrials` trials are errors.
    static func expand(
        sample: [ParameterSetting], _ experiment: Experiment, base: [String: ParameterSetting],
        overrides: [String: ParameterValue], maxTrials: Int, tooMany: ExperimentError,
        fail: (SourcePosition, ExperimentError.Kind, String) -> ExperimentError, into expansion: inout Expansion
    ) throws(ExperimentError) {
        for block in experiment.grid.isEmpty ? [nil] : experiment.grid.map(Optional.some) {
            for pointChoice in Points(block) {
                let choice = sample + pointChoice
                var sources = base
                for setting in choice { sources[setting.key] = setting }
                for (key, value) in overrides {
                    sources[key] = ParameterSetting(key: key, value: value, position: .start)
                }
                let inPoint =
                    (choice.isEmpty ? "" : "; in the grid point \(label(choice))")
                    + (overrides.isEmpty ? "" : " with the overrides \(label(overrides))")
                let parameters = try resolve(sources, seed: nil, fail: fail, context: inPoint)
                if experiment.exclude.contains(where: { rule in
                    rule.settings.allSatisfy { parameters.value($0.key) == $0.value }
                }) {
                    continue
                }
                expansion.pointCount += 1
                if let earlier = expansion.seen[parameters] {
                    // Point at the first value where the two points are written differently.
                    let (was, now) =
                        zip(earlier.choice, choice).first { $0.position != $1.position } ?? (choice[0], choice[0])
                    throw fail(
                        now.position, .duplicateTrials,
                        "grid point \(expansion.pointCount) (\(label(choice))) resolves to the same parameters as grid point "
                            + "\(earlier.number) at \(was.position) (\(label(earlier.choice)))"
                            + (overrides.isEmpty
                                ? "; remove one of them" : " with the overrides \(label(overrides))"))
                }
                expansion.seen[parameters] = (expansion.pointCount, choice)
                guard expansion.pointCount * experiment.seeds.count <= maxTrials else { throw tooMany }
                for seed in experiment.seeds {
                    let seeded = try resolve(sources, seed: seed, fail: fail, context: inPoint)
                    expansion.trials.append(
                        TrialSpec(
                            ordinal: expansion.trials.count + 1, parameters: seeded,
                            gridPoint: expansion.pointCount))
                }
            }
        }
    }

    /// Successive halving needs a validation split (its metric) and one number of epochs (one rung schedule), and
    /// must have a rung before the last to stop anything at.
    private static func checkEarlyStopping(
        _ stopping: EarlyStopping, _ trials: [TrialSpec],
        fail: (SourcePosition, ExperimentError.Kind, String) -> ExperimentError
    ) throws(ExperimentError) {
        let metric = stopping.rule.metric
        if let trial = trials.first(where: { $0.parameters.double("validation_split") <= 0 }) {
            throw fail(
                stopping.position, .invalidStructure,
                "early_stopping: \(metric.recordName) needs validation_split > 0, and trial #\(trial.ordinal) "
                    + "has none; set e.g. validation_split: 0.1 at the top level")
        }
        for trial in trials {
            let task = Task(rawValue: trial.parameters.string("task")) ?? .classification
            guard task.metrics.contains(metric.metric) else {
                throw fail(
                    stopping.position, .invalidStructure,
                    "early_stopping: \(metric.recordName) is not measured for task \(task.rawValue) (trial "
                        + "#\(trial.ordinal)); use one of "
                        + task.metrics.map { MetricKey(.validation, $0).recordName }.joined(separator: ", "))
            }
        }
        let epochs = Set(trials.map { $0.parameters.int("epochs") })
        guard epochs.count == 1, let epoch = epochs.first else {
            throw fail(
                stopping.position, .invalidStructure,
                "early_stopping: every trial needs the same epochs (one rung schedule); they have "
                    + epochs.sorted().map(String.init).joined(separator: ", "))
        }
        guard stopping.rule.minEpochs < epoch else {
            throw fail(
                stopping.position, .invalidStructure,
                "early_stopping: min_epochs \(stopping.rule.minEpochs) is not below epochs \(epoch): no rung would stop "
                    + "anything")
        }
    }

    /// The value choices of one block, first axis slowest, generated lazily (a huge grid fails the trial limit
    /// without being built). A nil block yields the single empty choice.
    private struct Points: Sequence, IteratorProtocol {
        let axes: [[ParameterSetting]]
        var indices: [Int]?

        init(_ block: GridBlock?) {
            axes = (block?.axes ?? []).map { axis in
                zip(axis.values, axis.valuePositions).map { ParameterSetting(key: axis.key, value: $0, position: $1) }
            }
            indices = axes.contains(where: \.isEmpty) ? nil : Array(repeating: 0, count: axes.count)
        }

        mutating func next() -> [ParameterSetting]? {
            guard var current = indices else { return nil }
            let point = zip(axes, current).map { $0[$1] }
            var axis = axes.count - 1
            while axis >= 0 {
                current[axis] += 1
                if current[axis] < axes[axis].count { break }
                current[axis] = 0
                axis -= 1
            }
            indices = axis < 0 ? nil : current
            return point
        }
    }

    private static func resolve(
        _ sources: Sources, seed: Int?, fail: (SourcePosition, ExperimentError.Kind, String) -> ExperimentError,
        context: String
    ) throws(ExperimentError) -> TrainingParameters {
        var overrides = sources.mapValues(\.value)
        if let seed { overrides["seed"] = .int(seed) }
        do {
            return try TrainingParameters.resolve(overrides)
        } catch {
            let position = sources[error.key]?.position ?? sources.values.map(\.position).min() ?? .start
            throw fail(position, .invalidParameter(error), error.description + context)
        }
    }

    private static func label(_ choice: [ParameterSetting]) -> String {
        choice.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    private static func label(_ overrides: [String: ParameterValue]) -> String {
        overrides.keys.sorted().map { "\($0)=\(overrides[$0]!)" }.joined(separator: ", ")
    }

    /// Keys written in the file (not `seed`) whose value differs between trials, in file order.
    private static func varyingKeys(_ trials: [TrialSpec], order: [String]) -> [String] {
        guard let first = trials.first?.parameters else { return [] }
        return order.filter { key in
            key != "seed" && trials.contains { $0.parameters.value(key) != first.value(key) }
        }
    }

    /// Grid points before exclusions (as a Double: a typo'd grid may overflow Int).
    private static func rawPointCount(_ experiment: Experiment) -> Double {
        experiment.grid.isEmpty
            ? 1 : experiment.grid.reduce(0) { $0 + $1.axes.reduce(1) { $0 * Double($1.values.count) } }
    }
}

extension String.StringInterpolation {
    /// A count held as a Double, printed as an integer.
    fileprivate mutating func appendInterpolation(count: Double) {
        appendLiteral(count < 1e15 ? String(Int(count)) : String(count))
    }
}
