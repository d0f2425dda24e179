import RNNTraining

extension PlanEstimate {
    /// `plan`'s line on the configurations a model-based search proposes while the sweep runs, which the estimate
    /// (made from the trials known before the run) leaves out; nil when every configuration is known.
    ///
    /// They are costed at the start-up's mean worker time per configuration, generation after generation: a
    /// generation of `batch` configurations runs at once on at most as many workers as it has trials, and the next
    /// starts when it has settled.
    public func proposedLine(search: SearchSpace, knownTrials: Int) -> String? {
        let known = search.method.samplesBeforeRun(of: search.samples)
        guard case .tpe(let batch, _) = search.method, known > 0, search.samples > known, knownTrials > 0 else {
            return nil
        }
        let perConfiguration = seconds * Double(workers) / Double(known)
        let trialsPerConfiguration = max(1, knownTrials / known)
        var left = search.samples - known
        var more = 0.0
        while left > 0 {
            let generation = min(batch, left)
            more += perConfiguration * Double(generation) / Double(min(workers, generation * trialsPerConfiguration))
            left -= generation
        }
        return "time: the \(search.samples - known) configuration(s) TPE proposes while the sweep runs add "
            + "\(upperBound ? "at most " : "")≈ \(Self.duration(more)) more, at the start-up's cost per configuration, "
            + "\(batch) per generation"
    }
}
