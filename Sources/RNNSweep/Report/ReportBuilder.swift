import Foundation
import RNNTraining

/// Builds a ``ReportTable`` from a sweep: trials grouped by all parameters except `seed`, in grid order
/// (first trial's ordinal) unless sorted. Failed, diverged, interrupted, running and pending trials are never
/// dropped: they are counted in the row's status, and only completed trials enter the means. The compared metric
/// (``SignificanceSummary/comparedMetric(sort:metrics:)``) is tested against the best row.
public struct ReportBuilder: Sendable {
    public var options: ReportOptions

    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    /// Loads sweep `sweepName` (applying `options.filters`) and builds its table.
    public func build(store: MetricsStore, sweepName: String) throws -> ReportTable {
        try build(
            from: ReportSource.load(
                store: store, sweepName: sweepName, filters: options.filters, allTrials: options.allTrials))
    }

    /// Builds the table of an already loaded (and filtered) source.
    public func build(from source: ReportSource) throws -> ReportTable {
        guard !source.trials.isEmpty else { throw ReportError.noTrials(sweep: source.sweep.name, filters: nil) }
        if let objectives = options.objectives { try ParetoSummary.validate(objectives) }
        var source = source
        let asked = (options.metrics ?? []) + (options.objectives ?? []) + [options.sort].compactMap { $0 }
        let sizeWarnings = asked.contains(.params) ? TrialParameterCount.fill(&source.trials) : []
        // Trials of different data versions are different experiments: by default their rows are split by `data`.
        // Superseded trials (`--all-trials`) are split from the current ones by `definition`, which marks them.
        let keys =
            options.rows
            ?? (source.sweep.varyingKeys + (source.data.changed ? [DataVersionsUsed.key] : [])
                + (source.showsSuperseded ? [TrialDefinition.key] : []))
        for key in keys where !source.allKeys.contains(key) {
            throw ReportError.unknownKey(key, option: "--rows", valid: source.allKeys.sorted())
        }
        let columns = ParameterColumn.columns(
            keys: keys, allKeys: source.allKeys, appendRegularizer: options.rows == nil)
        var metrics = options.metrics ?? source.defaultMetrics
        if options.epoch == .best, !metrics.contains(.bestEpoch) { metrics.append(.bestEpoch) }
        for objective in options.objectives ?? [] where !metrics.contains(objective) { metrics.append(objective) }

        // Provenance keys among the row keys (machine keys, `data`: values a trial's row holds, not its parameters)
        // split rows like `seed` does; otherwise a row folds every machine.
        let provenanceKeys = keys.filter {
            MachineAspect.keys.contains($0) || $0 == DataVersionsUsed.key || $0 == TrialDefinition.key
        }
        let machines = MachineSummary(trials: source.trials.map(\.row))
        let machineColumns = machines.mixedAspects.filter { !keys.contains($0.rawValue) }
        let groups = group(source.trials, keepSeed: keys.contains("seed"), provenanceKeys: provenanceKeys)
        var rows = groups.map {
            makeRow(
                $0, metrics: metrics, provenanceKeys: provenanceKeys, machineColumns: machineColumns, data: source.data)
        }
        let objective = SearchObjective(source: source)
        if objective.isSearch { rank(&rows, groups: groups, objective: objective) }
        var significance: SignificanceSummary?
        if let compared = SignificanceSummary.comparedMetric(sort: options.sort, metrics: metrics) {
            let (summary, marks) = SignificanceSummary.compare(rows, metric: compared)
            let contrasts = BestContrast.contrasts(rows, marks: marks, metric: compared)
            for index in rows.indices {
                rows[index].versusBest = marks[index]
                rows[index].contrast = contrasts[index]
            }
            significance = summary
        }
        if let sort = options.sort {
            rows = sorted(rows, by: sort)
        } else if objective.isSearch {
            // A search reads best first: its grid table follows the leaderboard unless --sort says otherwise.
            rows.sort { $0.rank! < $1.rank! }
        }
        let pareto = options.objectives.map { ParetoSummary(rows: rows, objectives: $0) }
        let parameterKeys = columns.flatMap { $0.machineKeys(allKeys: source.allKeys) }
        var table = ReportTable(
            sweepName: source.sweep.name, dataset: dataset(source), epochs: epochBudget(source),
            fixedSettings: fixedSettings(source, shown: Set(parameterKeys)),
            seedCount: Set(source.trials.map(\.row.seed)).count, epochChoice: options.epoch,
            parameterColumns: columns, parameterKeys: parameterKeys,
            metrics: metrics, showsCount: rows.contains { $0.trialCount > 1 },
            showsStatus: source.trials.contains { $0.row.status != .completed }
                || rows.contains { $0.patienceText != nil },
            rows: rows,
            significance: significance, machines: machines,
            machineWarnings: machines.warnings(shown: Set(keys), rowKeys: keys),
            machineColumns: machineColumns.map(\.rawValue))
        table.dataWarnings = source.data.lines + DataWarnings.lines(source.trials.map(\.row)) + sizeWarnings
        table.pareto = pareto
        table.primaryMetric = source.tasks[0].primaryMetric
        table.dataFile = keys.contains("data_dir") ? nil : ReportDataFile.name(source.trials)
        if objective.isSearch { table.leaderboard = leaderboard(rows, source: source, objective: objective) }
        return table
    }

    /// Groups trials by their parameters minus `seed` (plus the seed column when it is a displayed row key, and
    /// the provenance keys that are), in order of first appearance.
    private func group(_ trials: [ReportTrial], keepSeed: Bool, provenanceKeys: [String]) -> [[ReportTrial]] {
        var order: [[String: ParameterValue]] = []
        var groups: [[String: ParameterValue]: [ReportTrial]] = [:]
        for trial in trials {
            var key = trial.params
            key["seed"] = keepSeed ? .int(trial.row.seed) : nil
            for name in provenanceKeys { key[name] = trial.value(for: name) }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(trial)
        }
        return order.map { groups[$0]! }
    }

    private func makeRow(
        _ trials: [ReportTrial], metrics: [ReportMetric], provenanceKeys: [String], machineColumns: [MachineAspect],
        data: DataVersionsUsed
    ) -> ReportRow {
        let completed = trials.filter { $0.row.status.isGood }.map { TrialMetrics($0, epoch: options.epoch) }
        var statistics: [ReportMetric: SampleStatistics] = [:]
        for metric in metrics + [options.sort].compactMap({ $0 }) {
            statistics[metric] = SampleStatistics(completed.compactMap { $0.value(metric) })
        }
        // The model's size is the configuration's, whatever its trials' status: one value, no spread over seeds.
        if statistics.keys.contains(.params) || metrics.contains(.params) {
            statistics[.params] = SampleStatistics(trials.compactMap(\.parameterCount).prefix(1).map(Double.init))
        }
        var counts: [TrialStatus: Int] = [:]
        for trial in trials { counts[trial.row.status, default: 0] += 1 }
        var parameters = trials[0].params
        for name in provenanceKeys { parameters[name] = trials[0].value(for: name) }
        let machines = MachineSummary(trials: trials.map(\.row))
        var row = ReportRow(
            parameters: parameters, statistics: statistics, trialCount: trials.count,
            completedCount: completed.count, statusCounts: counts, trialIDs: trials.map(\.row.id),
            machines: Dictionary(uniqueKeysWithValues: machineColumns.map { ($0.rawValue, machines.cell($0)) }))
        row.testByClass = trials.filter { $0.row.status == .completed }.compactMap {
            TestByClass($0.row, classNames: data.classNames($0.row.dataFingerprint))
        }
        row.chanceLevel = row.testByClass.first.flatMap { ChanceLevel.majorityRate(confusion: $0.confusion) }
        row.stoppedAtEpoch = trials.filter { $0.row.status == .stopped }.compactMap(\.row.lastEpoch).max()
        row.patienceText = PatienceEnding.summary(trials.filter { $0.row.status == .completed }.map(\.row.patience))
        return row
    }

    /// Stable sort by the metric's mean; rows without a (finite) mean go last.
    private func sorted(_ rows: [ReportRow], by metric: ReportMetric) -> [ReportRow] {
        let descending = metric.higherIsBetter ?? true
        let indexed = rows.enumerated().map { (offset: $0.offset, row: $0.element) }
        return indexed.sorted { a, b in
            let x = a.row.statistics[metric]?.mean
            let y = b.row.statistics[metric]?.mean
            switch (x.flatMap { $0.isFinite ? $0 : nil }, y.flatMap { $0.isFinite ? $0 : nil }) {
            case (let x?, let y?) where x != y: return descending ? x > y : x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.row)
    }

    /// What every trial shares among cell, layers, units, optimizer and batch size, unless a column shows it.
    private func fixedSettings(_ source: ReportSource, shown: Set<String>) -> [String] {
        func common(_ key: String) -> ParameterValue? {
            guard !shown.contains(key), let first = source.trials.first?.params[key],
                source.trials.allSatisfy({ $0.params[key] == first })
            else { return nil }
            return first
        }
        var facts: [String] = []
        // The network as its kind names it (`SimpleRNN`, `Bidirectional(LSTM)`, `MLP`), when no column shows it
        // and every trial is the same one.
        let labels = Set(source.trials.map { ParameterDisplay.layer($0.params) })
        if let label = labels.first, labels.count == 1,
            shown.isDisjoint(with: [ParameterSchema.network, "cell", "bidirectional"])
        {
            facts.append(label)
        }
        if let layers = common("layers"), layers.numericValue != 1 { facts.append("\(layers) layers") }
        if let units = common("units") { facts.append("\(units) units") }
        if let optimizer = common("optimizer") {
            let name = ParameterDisplay.value(optimizer, key: "optimizer")
            facts.append(common("learning_rate").map { "\(name) (learning rate \($0))" } ?? name)
        }
        if let batch = common("batch_size") { facts.append("batch \(batch)") }
        return facts
    }

    /// The dataset every trial shares (every trial's params carry `dataset`, default included), else nil.
    private func dataset(_ source: ReportSource) -> String? {
        let names = Set(source.trials.compactMap { $0.params["dataset"] }.map(\.description))
        return names.count == 1 ? names.first : nil
    }

    private func epochBudget(_ source: ReportSource) -> String? {
        let values = Set(source.trials.compactMap { $0.params["epochs"]?.numericValue }).sorted()
        guard let low = values.first, let high = values.last else { return nil }
        let text = { (value: Double) in String(Int(value)) }
        return low == high ? text(low) : "\(text(low))–\(text(high))"
    }
}
