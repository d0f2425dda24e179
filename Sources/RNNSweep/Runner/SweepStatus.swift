import Foundation
import RNNTraining

/// Plain-text views of the database for `rnnsweep status` and `rnnsweep ls` (read-only).
public enum SweepStatus {
    /// Counts by status, then one line per trial: ordinal, id, status, varying parameters, last epoch, accuracies;
    /// then errors, notes, the machine the results come from and a warning when they mix CPU kinds, versions or
    /// thread counts (``MachineSummary``). The trials are those of the sweep's current definition; `allTrials`
    /// adds the superseded ones (``SupersededTrials``), marked `superseded` after their status.
    public static func render(store: MetricsStore, sweep name: String, allTrials: Bool = false) throws -> String {
        guard let sweep = try store.sweep(named: name) else {
            throw ReportError.unknownSweep(name, available: try store.sweeps().map(\.name))
        }
        let registered = try store.trials(sweep: sweep.id)
        let trials = registered.filter { allTrials || !$0.isSuperseded }
        let hidden = registered.count - trials.count
        var counts = Dictionary(uniqueKeysWithValues: TrialStatus.allCases.map { ($0, 0) })
        for trial in trials { counts[trial.status, default: 0] += 1 }
        let epochs = try store.epochsByTrial(sweep: sweep.id)
        let folder = SweepSetup.runDirectory(database: store.url, row: sweep)
        // The database's owner row too: the lock file may have been deleted, or the coordinator be on another host.
        let owner = (try? store.sweepOwner(name))?.flatMap { SweepOwnership.isLive($0) ? $0 : nil }
        let coordinator = SweepFolders.lockHolder(folder: folder) ?? owner?.pid
        let stored = sweep.executorJSON.flatMap(ExecutorChoice.init(json:))
        // The executors' own parts: trials they hold without a coordinator, their columns and lines.
        let sections = try ExecutorChoice.statusSources.compactMap {
            try $0.statusSection(store: store, sweep: sweep, runDirectory: folder, stored: stored)
        }
        // A `running` row with no coordinator and no executor holding it is what a dead coordinator left: say so.
        func shown(_ t: TrialRow) -> String {
            t.status == .running && coordinator == nil && !sections.contains { $0.cells[t.id] != nil }
                ? "stale" : t.status.rawValue
        }
        func shownStatus(_ t: TrialRow) -> String { shown(t) + (t.isSuperseded ? " (superseded)" : "") }
        var out = "sweep \(sweep.name): \(trials.count) trials — "
        out += TrialStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
        out += "\n"
        if hidden > 0 {
            out +=
                "\(hidden) superseded trial(s) not shown (the experiment file no longer has them): "
                + "`rnnsweep status --all-trials` lists them\n"
        }
        if let coordinator {
            let place = owner.map { $0.host == ProcessIdentity.hostName ? "" : " on \($0.host)" } ?? ""
            out += "coordinator: running (pid \(coordinator)\(place))\n"
        } else {
            for section in sections { out += section.detachedLine + "\n" }
        }
        for line in sections.flatMap(\.lines) { out += line + "\n" }
        let rungs = try HalvingRungs(store: store, sweep: sweep)
        // The headline metric of each task the trials have (accuracy, or mae): last epoch, validation and test.
        let parameters = trials.map { (try? TrialParameters.decode($0.paramsJSON)) ?? [:] }
        var headline: [Metric] = []
        for params in parameters {
            let metric = TrialParameters.task(params).primaryMetric
            if !headline.contains(metric) { headline.append(metric) }
        }
        if headline.isEmpty { headline = [Task.classification.primaryMetric] }
        var header = ["#", "trial", "status"] + sweep.varyingKeys
        header += ["seed", "epoch"]
        for metric in headline {
            header += [MetricSplit.train, .validation, .test].map { MetricKey($0, metric).recordName }
        }
        let data = DataVersionsUsed(rows: trials, known: try store.dataVersions())
        if data.changed { header.append(DataVersionsUsed.key) }
        if rungs != nil { header.append("rung") }
        header += sections.map(\.column)
        var rows: [[String]] = [header]
        for (t, params) in zip(trials, parameters) {
            let last = epochs[t.id]?.last
            var row =
                [String(t.ordinal), t.id, shownStatus(t)] + sweep.varyingKeys.map { params[$0]?.description ?? "-" }
            row += [String(t.seed), last.map { String($0.epoch) } ?? "-"]
            for metric in headline {
                row += [
                    MetricLine.value(last?.value(MetricKey(.train, metric)), metric),
                    MetricLine.value(last?.value(MetricKey(.validation, metric)), metric),
                    MetricLine.value(t.test[metric], metric),
                ]
            }
            if data.changed { row.append(DataVersion.label(t.dataFingerprint)) }
            if let rungs { row.append(rungs.text(for: t)) }
            row += sections.map { $0.cells[t.id] ?? "-" }
            rows.append(row)
        }
        out += align(rows)
        let failures = trials.filter { $0.status == .failed || $0.status == .diverged }
        for t in failures { out += "#\(t.ordinal) \(t.id) \(t.status.rawValue): \(t.error ?? "no message")\n" }
        // A completed trial must have every epoch row: a hole is a lost write that `run` repairs.
        for hole in try store.epochHoles(sweep: sweep.id) { out += "warning: \(hole)\n" }
        for t in trials where t.notes != nil {
            for note in t.notes!.split(separator: "\n") { out += "#\(t.ordinal) \(t.id) note: \(note)\n" }
        }
        // Where the results come from, and a warning per CPU kind, version or thread count mix.
        let machines = MachineSummary(trials: trials)
        if machines.recorded + machines.notRecorded > 0 { out += "machine: \(machines.description)\n" }
        for warning in machines.warnings(rowKeys: sweep.varyingKeys) { out += "warning: \(warning)\n" }
        for line in data.lines { out += line + "\n" }
        for warning in DataWarnings.lines(trials) { out += "warning: \(warning)\n" }
        let stale = trials.filter { shown($0) == "stale" }.count
        if stale > 0 {
            out +=
                "\(stale) trial(s) stale: marked running, but no coordinator holds the sweep; run the same "
                + "`rnnsweep run FILE` again to resume them\n"
        }
        return out
    }

    /// One line per sweep: name, trial counts by status, and when its last run ended — the latest trial end
    /// (`finished_at`), `–` before any trial ended. Not the sweep row's `updated_at`: that changes when a run
    /// registers the sweep, i.e. when the last run started.
    public static func list(store: MetricsStore) throws -> String {
        var rows: [[String]] = [["sweep", "trials", "completed", "running", "failed", "other", "updated"]]
        for sweep in try store.sweeps() {
            // The current definition's trials, as `status` counts them.
            let current = try store.trials(sweep: sweep.id).filter { !$0.isSuperseded }
            let c = Dictionary(grouping: current, by: \.status).mapValues(\.count)
            let total = c.values.reduce(0, +)
            let other = total - (c[.completed] ?? 0) - (c[.running] ?? 0) - (c[.failed] ?? 0)
            rows.append([
                sweep.name, String(total), String(c[.completed] ?? 0), String(c[.running] ?? 0),
                String(c[.failed] ?? 0), String(other),
                // ISO-8601 UTC with milliseconds: the text order is the time order.
                current.compactMap(\.finishedAt).max() ?? "–",
            ])
        }
        return rows.count == 1 ? "no sweeps in \(store.url.path)\n" : align(rows)
    }

    static func align(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}

/// Each trial's rung, for `status` of a successive-halving sweep.
struct HalvingRungs {
    let rule: SuccessiveHalving
    let schedule: [Int]
    /// Grid point → its decisions, by epoch.
    let decisions: [Int: [Int: RungRow]]

    /// Nil for a sweep without successive halving.
    init?(store: MetricsStore, sweep: SweepRow) throws {
        guard let rule = SweepDefinition.earlyStopping(inExperimentJSON: sweep.experimentJSON) else { return nil }
        let trials = try store.trials(sweep: sweep.id)
        guard let epochs = trials.compactMap({ try? TrialParameters.decode($0.paramsJSON)["epochs"]?.intValue }).first
        else { return nil }
        self.rule = rule
        schedule = rule.rungs(epochs: epochs)
        var decisions: [Int: [Int: RungRow]] = [:]
        for row in try store.rungs(sweep: sweep.id) where row.rule == rule.signature {
            decisions[row.gridPoint, default: [:]][row.epoch] = row
        }
        self.decisions = decisions
    }

    /// `rung 2 of 4 (epoch 6)`, `waits at rung 1 (epoch 2)`, `stopped at rung 1 (epoch 2)`, `done`.
    func text(for trial: TrialRow) -> String {
        if trial.status == .completed { return "done" }
        let mine = decisions[trial.gridPoint] ?? [:]
        for (k, epoch) in schedule.enumerated() {
            guard k < schedule.count - 1, let decision = mine[epoch] else {
                let place = "rung \(k + 1) of \(schedule.count) (epoch \(epoch))"
                return trial.status == .paused ? "waits at " + place : place
            }
            if !decision.promoted { return "stopped at rung \(k + 1) (epoch \(epoch))" }
        }
        return "-"
    }
}
