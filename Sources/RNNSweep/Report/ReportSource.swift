import RNNTraining

/// One trial with its decoded parameters and epoch rows, as a report sees it.
public struct ReportTrial: Sendable {
    public var row: TrialRow
    public var params: [String: ParameterValue]
    public var epochs: [EpochMetrics]
    /// Trainable parameters of the trial's model, filled by ``TrialParameterCount`` when a report asks for `params`.
    public var parameterCount: Int?

    /// What the trial's model predicts.
    public var task: Task { TrialParameters.task(params) }

    /// The parameter value for `key`; `seed` falls back to the trial's seed column, and the ``MachineAspect`` keys
    /// (`cpu`, `build`, `threads`, `host`) to its provenance, `data` to its data version.
    public func value(for key: String) -> ParameterValue? {
        if let value = params[key] { return value }
        if key == "seed" { return .int(row.seed) }
        if key == DataVersionsUsed.key { return .string(DataVersion.label(row.dataFingerprint)) }
        if key == TrialDefinition.key { return .string(TrialDefinition.label(row)) }
        return MachineAspect(rawValue: key).map { $0.reportValue(row) }
    }
}

/// A sweep loaded from the store with its (filtered) trials: the input of ``ReportBuilder`` and
/// ``CurvesCSVRenderer``. Filtering happens here, in Swift, on the decoded parameters — no SQL is ever built
/// from user text.
public struct ReportSource: Sendable {
    public var sweep: SweepRow
    /// Trials in ordinal order, after filters.
    public var trials: [ReportTrial]
    /// Every parameter key of any trial of the sweep (before filtering), plus `seed`, the machine keys and `data`.
    public var allKeys: Set<String>
    /// The data versions the sweep's trials read (before filtering).
    public var data: DataVersionsUsed
    /// The sweep's successive-halving decisions (every rule), in rung then rank order (``SearchObjective``).
    public var rungs: [RungRow] = []
    /// Whether the trials include superseded ones (`--all-trials`): their rows are then split by
    /// ``TrialDefinition/key``.
    public var showsSuperseded: Bool { trials.contains { $0.row.isSuperseded } }

    public init(sweep: SweepRow, trials: [ReportTrial], allKeys: Set<String>, data: DataVersionsUsed? = nil) {
        self.sweep = sweep
        self.trials = trials
        self.allKeys = allKeys
        self.data = data ?? DataVersionsUsed(rows: trials.map(\.row), known: [:])
    }

    /// The tasks of the trials, in order of first appearance (one, unless a sweep varies `task`).
    public var tasks: [Task] {
        var seen: [Task] = []
        for trial in trials where !seen.contains(trial.task) { seen.append(trial.task) }
        return seen.isEmpty ? [.classification] : seen
    }

    /// The metric columns a report shows when none are asked for: each task's training and test headline metric.
    public var defaultMetrics: [ReportMetric] { tasks.flatMap(ReportMetric.defaults(for:)) }

    /// Loads sweep `name` and keeps the trials matching every filter: those of the sweep's current definition, or
    /// with `allTrials` the superseded ones too (``SupersededTrials``). This is the one place reports choose them.
    public static func load(
        store: MetricsStore, sweepName: String, filters: [ReportFilter] = [], allTrials: Bool = false
    ) throws -> ReportSource {
        guard let sweep = try store.sweep(named: sweepName) else {
            throw ReportError.unknownSweep(sweepName, available: try store.sweeps().map(\.name))
        }
        let epochs = try store.epochsByTrial(sweep: sweep.id)
        let rows = try store.trials(sweep: sweep.id).filter { allTrials || !$0.isSuperseded }
        let trials = try rows.map { row in
            do {
                let params = try TrialParameters.decode(row.paramsJSON)
                return ReportTrial(row: row, params: params, epochs: epochs[row.id] ?? [])
            } catch {
                throw MetricsStoreError.badJSON(column: "trials.params of \(row.id)", detail: "\(error)")
            }
        }
        var allKeys = trials.reduce(into: Set(["seed", DataVersionsUsed.key]).union(MachineAspect.keys)) {
            $0.formUnion($1.params.keys)
        }
        if allTrials { allKeys.insert(TrialDefinition.key) }
        let data = DataVersionsUsed(rows: trials.map(\.row), known: try store.dataVersions())
        var source = ReportSource(sweep: sweep, trials: trials, allKeys: allKeys, data: data)
        source.rungs = try store.rungs(sweep: sweep.id)
        return try source.filtered(by: filters)
    }

    /// Keeps the trials matching every filter; an unknown key is an error listing the valid keys.
    public func filtered(by filters: [ReportFilter]) throws -> ReportSource {
        guard !filters.isEmpty else { return self }
        for filter in filters where !allKeys.contains(filter.key) {
            throw ReportError.unknownKey(filter.key, option: "--where", valid: allKeys.sorted())
        }
        var result = self
        result.trials = trials.filter { trial in
            filters.allSatisfy { filter in
                // A parameter that is not set matches an empty value or `null` (`--where clipnorm=`).
                trial.value(for: filter.key)?.matches(filter.value)
                    ?? (filter.value.isEmpty || filter.value.lowercased() == "null")
            }
        }
        if result.trials.isEmpty {
            throw ReportError.noTrials(
                sweep: sweep.name, filters: filters.map { "--where \($0)" }.joined(separator: " "))
        }
        return result
    }
}
