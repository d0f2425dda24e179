import RNNTraining

extension PlanEstimate {
    /// `plan --until/--budget`: which trials fit before a deadline `left` seconds after the run's start, in run
    /// order by the cost model (``DeadlineFit``), each on whichever of the estimate's workers is free first. Under
    /// successive halving the runs are those to the first rung (later rungs depend on results not known before).
    /// Returns the lines to print: one per trial that does not fit, then the count.
    public func deadlineLines(sweep: ExpandedSweep, left: Double, label: String, earlyStopping: SuccessiveHalving?)
        -> [String]
    {
        guard let cost else { return [] }
        let runs = sweep.trials.map { trial -> (TrialSpec, Int) in
            let epochs = trial.parameters.int("epochs")
            return (trial, earlyStopping.map { $0.rungs(epochs: epochs).first ?? epochs } ?? epochs)
        }
        let fits = DeadlineFit.fits(
            costs: runs.map { cost.seconds($0.0.parameters, epochs: $0.1) },
            free: [Double](repeating: 0, count: workers), left: left)
        let what = earlyStopping == nil ? "trial(s)" : "run(s) to the first rung"
        var lines: [String] = []
        for (run, fit) in zip(runs, fits) {
            let seconds = cost.seconds(run.0.parameters, epochs: run.1)
            lines.append(
                "  \(fit ? "fits " : "no   ") #\(run.0.ordinal) \(run.0.id) ≈ \(Self.duration(seconds))")
        }
        let fitting = fits.filter { $0 }.count
        lines.append(
            "deadline \(label): \(fitting) of \(runs.count) \(what) fit on \(workers) worker(s), "
                + "\(runs.count - fitting) do not (by the cost model, in run order)")
        return lines
    }
}
