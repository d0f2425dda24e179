import RNNTraining

/// The loop records every decision of the scheduler before acting on it: trials it adds are registered with their
/// ordinals before any of them starts, and a rung's decisions are written in one transaction with the trials they
/// stop.
extension CoordinatorLoop {
    mutating func record(_ decisions: [SchedulerDecision]) {
        for batch in Self.batches(decisions) {
            switch batch.first {
            case .added(let trials, let reason)?: register(trials, reason: reason, decision: batch[0])
            case .rung?: recordRung(batch)
            case nil: break
            }
        }
    }

    /// Decisions in the order they came, a rung's (same rule, same epoch) together, each addition alone.
    static func batches(_ decisions: [SchedulerDecision]) -> [[SchedulerDecision]] {
        var batches: [(key: String?, decisions: [SchedulerDecision])] = []
        for decision in decisions {
            guard case .rung(let d, let rule, _, _) = decision else {
                batches.append((nil, [decision]))
                continue
            }
            let key = "\(rule) \(d.epoch)"
            if let i = batches.firstIndex(where: { $0.key == key }) {
                batches[i].decisions.append(decision)
            } else {
                batches.append((key, [decision]))
            }
        }
        return batches.map(\.decisions)
    }

    /// Registers trials the scheduler added, in one transaction, before any of them starts.
    private mutating func register(_ trials: [TrialSpec], reason: String, decision: SchedulerDecision) {
        guard !trials.isEmpty else { return }
        if !write("added trials", { recorder in try recorder.added(trials, reason: reason) }) {
            // Unregistered trials must not run: their results would have no row to go to.
            summary.fatalError = summary.fatalError ?? "trials the scheduler added could not be registered"
            if !stopping {
                stopping = true
                stopAll()
            }
        }
        summary.total += trials.count
        reporter.trialsAdded(trials, cost: etaCost)
        for line in scheduler.log([decision]) { reporter.note(line) }
    }

    /// Records the decisions of one rung under one rule in one transaction, stopping the trials they stop.
    private mutating func recordRung(_ decisions: [SchedulerDecision]) {
        var rows: [HalvingState.Decision] = []
        var stopped: [(trial: String, decision: HalvingState.Decision)] = []
        var signature = ""
        var metricName = ""
        for case .rung(let d, let rule, let metric, let stopping) in decisions {
            rows.append(d)
            stopped += stopping.map { ($0, d) }
            signature = rule
            metricName = metric.recordName
        }
        write("rung decision") { recorder in
            try recorder.decided(rows, rule: signature, metric: metricName, stopping: stopped)
        }
        summary.stopped += stopped.count
        reporter.trialsStopped(stopped.map(\.trial))
        for line in scheduler.log(decisions) { reporter.note(line) }
    }
}
