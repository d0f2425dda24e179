import Foundation
import RNNTraining

/// A TPE search's warm start: the results of earlier sweeps in the same database, taken as the sampler's oldest
/// observations (`search: warm_start: [sweep, …]`).
///
/// The matching rule, per trial of each named sweep (in the order written, then by ordinal):
/// - it is taken when it is `completed`, or `stopped` by a halving rung (the sampler ranks it as Optuna ranks a
///   pruned trial); every other status is skipped (pending, running, paused, failed, diverged, interrupted);
/// - it is skipped when it is also a trial of this sweep (same id: reused, its result is this sweep's own), or was
///   already taken from an earlier named sweep (a reused trial is in both);
/// - its data fingerprint must be one of this sweep's ("data differs" otherwise); a trial registered before data
///   fingerprints (none recorded) counts as reading the data as it is now when its `data_dir` names the same
///   location, as ``TrialAdoption`` takes such a row for the same trial;
/// - its fixed parameters (every identity parameter but the searched ones, `seed`, and the data, compared by
///   fingerprint) must equal those of one of this sweep's trials; otherwise the reason names the differences from
///   this sweep's first trial, theirs first (`epochs: 20 vs 10`);
/// - its searched values must lie in this sweep's space (a wider earlier range, an unknown choice: skipped).
///
/// The trials taken are grouped into configurations by their searched values (per sweep, in order of first
/// ordinal); a configuration's observation is the mean over its trials of the objective metric at the last epoch
/// each recorded (as ``TPEScheduler`` computes its own), marked stopped at the furthest epoch reached when a rung
/// stopped any of them. A configuration with a trial that recorded no finite value is skipped, as the sampler
/// leaves failed trials out.
///
/// The start-up is not shortened: Optuna counts added trials toward `n_startup_trials`, but here the start-up
/// samples are part of the file's expansion, registered before the run, and the same file must give the same
/// trials whatever else the database holds. The warm-start results join from generation 1 (set `startup:` lower to
/// rely on them sooner).
public struct WarmStart: Sendable, Equatable {
    /// What was taken from one earlier sweep, and what was skipped and why.
    public struct Summary: Sendable, Equatable {
        public var sweep: String
        public var configurations: Int
        public var trials: Int
        /// Each reason with its count of trials, in order of first occurrence.
        public var skipped: [(reason: String, trials: Int)]

        public static func == (a: Summary, b: Summary) -> Bool {
            a.sweep == b.sweep && a.configurations == b.configurations && a.trials == b.trials
                && a.skipped.map(\.reason) == b.skipped.map(\.reason)
                && a.skipped.map(\.trials) == b.skipped.map(\.trials)
        }

        /// `warm start: 14 configurations (28 trials) of sweep a; 6 skipped: data differs (4), epochs: 20 vs 10 (2)`.
        public var line: String {
            var line =
                "warm start: \(configurations) configuration\(configurations == 1 ? "" : "s") (\(trials) "
                + "trial\(trials == 1 ? "" : "s")) of sweep \(sweep)"
            let count = skipped.reduce(0) { $0 + $1.trials }
            if count > 0 {
                line += "; \(count) skipped: " + skipped.map { "\($0.reason) (\($0.trials))" }.joined(separator: ", ")
            }
            return line
        }
    }

    /// One earlier sweep as the database holds it.
    struct Source: Sendable {
        var name: String
        var rows: [TrialRow]
        var epochs: [String: [EpochMetrics]]
        /// The folder of its experiment file, against which its relative `data_dir`s resolve.
        var experimentFolder: URL? = nil
    }

    /// The sampler's first observations, in sweep order then ordinal.
    var observations: [TPESampler.Observation]
    /// The trials whose results the observations are, in the same order (stored with the sweep).
    public var usedTrials: [String]
    public var summaries: [Summary]
    /// The start-up samples this sweep still draws.
    public var startup: Int

    /// The lines `plan` and `run` print.
    public var lines: [String] {
        summaries.map(\.line) + [
            "warm start: \(observations.count) result\(observations.count == 1 ? "" : "s") seed TPE before this "
                + "sweep's own; the random start-up stays \(startup) sample\(startup == 1 ? "" : "s") (set startup: "
                + "lower to propose from the warm start sooner)"
        ]
    }

    /// The metric a TPE search learns from (``TPEObjective``), so that earlier sweeps' values are on the same one.
    public static func objective(_ experiment: Experiment, trials: [TrialSpec]) -> MetricKey {
        TPEObjective.metric(halving: experiment.earlyStopping?.rule, trials: trials)
    }

    /// The parameters two trials must share: identity values but the searched ones, `seed` and the data.
    static func fixed(_ parameters: TrainingParameters, fingerprint: String?, searched: Set<String>)
        -> [String: ParameterValue]
    {
        parameters.identityValues(data: fingerprint).filter { key, _ in
            !searched.contains(key) && key != "seed" && key != "data"
        }
    }

    /// Matches `sources` against this sweep (`trials`, with their data fingerprints assigned). `only`, when given,
    /// restricts the taken trials to those a first run stored (a resumed run sees the same observations).
    static func match(
        sources: [Source], trials: [TrialSpec], space: SearchSpace, metric: MetricKey, only: Set<String>? = nil
    ) -> WarmStart {
        let searched = Set(space.dimensions.map(\.key))
        let own = Set(trials.map(\.id))
        let fingerprints = Set(trials.map(\.dataFingerprint))
        var ourFixed: [[String: ParameterValue]] = []
        for trial in trials.sorted(by: { $0.ordinal < $1.ordinal }) {
            let f = fixed(trial.parameters, fingerprint: trial.dataFingerprint, searched: searched)
            if !ourFixed.contains(f) { ourFixed.append(f) }
        }
        var observations: [TPESampler.Observation] = []
        var used: [String] = []
        var taken = Set<String>()
        var summaries: [Summary] = []
        for source in sources {
            var skipped: [(reason: String, trials: Int)] = []
            func skip(_ reason: String, _ count: Int = 1) {
                if let i = skipped.firstIndex(where: { $0.reason == reason }) {
                    skipped[i].trials += count
                } else {
                    skipped.append((reason, count))
                }
            }
            var groups: [(configuration: [String: ParameterValue], rows: [TrialRow])] = []
            for row in source.rows.filter({ !$0.isSuperseded }).sorted(by: { $0.ordinal < $1.ordinal }) {
                guard row.status == .completed || row.status == .stopped else {
                    skip("not completed (\(row.status))")
                    continue
                }
                if own.contains(row.id) {
                    skip("also a trial of this sweep")
                    continue
                }
                if taken.contains(row.id) {
                    skip("already taken from an earlier sweep")
                    continue
                }
                guard
                    let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(row.paramsJSON.utf8))
                else {
                    skip("parameters unreadable")
                    continue
                }
                var fingerprint = row.dataFingerprint
                if !fingerprints.contains(fingerprint), fingerprint == nil,
                    let same = trials.first(where: { trial in
                        trial.dataFingerprint != nil
                            && TrialAdoption.sameLocation(
                                parameters.value("data_dir")?.stringValue,
                                trial.parameters.value("data_dir")?.stringValue, source.experimentFolder)
                    })
                {
                    fingerprint = same.dataFingerprint
                }
                guard fingerprints.contains(fingerprint) else {
                    skip("data differs")
                    continue
                }
                let theirs = fixed(parameters, fingerprint: fingerprint, searched: searched)
                guard ourFixed.contains(theirs) else {
                    skip(
                        difference(
                            theirs, ourFixed.first ?? [:], parameters: parameters, ours: trials.first?.parameters))
                    continue
                }
                var configuration: [String: ParameterValue] = [:]
                var outside: String?
                for d in space.dimensions {
                    guard let value = parameters.value(d.key), TPESampler.internalValue(value, d.distribution) != nil
                    else {
                        // One reason per parameter, not per value: the summary stays a line.
                        outside = "\(d.key) outside this space"
                        break
                    }
                    configuration[d.key] = value
                }
                if let outside {
                    skip(outside)
                    continue
                }
                // Last, so the other reasons stay as the first run gave them.
                if let only, !only.contains(row.id) {
                    skip("not used when this sweep first ran")
                    continue
                }
                if let g = groups.firstIndex(where: { $0.configuration == configuration }) {
                    groups[g].rows.append(row)
                } else {
                    groups.append((configuration, [row]))
                }
            }
            var summary = Summary(sweep: source.name, configurations: 0, trials: 0, skipped: [])
            for group in groups {
                var sum = 0.0
                var reached = 0
                var complete = true
                for row in group.rows {
                    guard let last = source.epochs[row.id]?.last(where: { $0.value(metric) != nil }),
                        let value = last.value(metric), value.isFinite
                    else {
                        complete = false
                        break
                    }
                    sum += value
                    reached = max(reached, last.epoch)
                }
                guard complete else {
                    skip("no \(metric.recordName) recorded", group.rows.count)
                    continue
                }
                let wasStopped = group.rows.contains { $0.status == .stopped }
                observations.append(
                    TPESampler.Observation(
                        configuration: group.configuration, value: sum / Double(group.rows.count),
                        stoppedAt: wasStopped ? reached : nil))
                used += group.rows.map(\.id)
                taken.formUnion(group.rows.map(\.id))
                summary.configurations += 1
                summary.trials += group.rows.count
            }
            summary.skipped = skipped
            summaries.append(summary)
        }
        return WarmStart(
            observations: observations, usedTrials: used, summaries: summaries,
            startup: space.method.samplesBeforeRun(of: space.samples))
    }

    /// `epochs: 20 vs 10, cell: lstm vs gru`: the fixed parameters that differ, theirs first, in name order.
    static func difference(
        _ theirs: [String: ParameterValue], _ ours: [String: ParameterValue], parameters: TrainingParameters,
        ours oursParameters: TrainingParameters?
    ) -> String {
        let keys = Set(theirs.keys).union(ours.keys).sorted()
        let parts = keys.compactMap { key -> String? in
            guard theirs[key] != ours[key] else { return nil }
            // An identity value left out equals the parameter's default: shown as the value it stands for.
            let a = theirs[key] ?? parameters.value(key)
            let b = ours[key] ?? oursParameters?.value(key)
            return "\(key): \(a?.description ?? "unset") vs \(b?.description ?? "unset")"
        }
        return parts.isEmpty ? "parameters differ" : parts.joined(separator: ", ")
    }
}
