import RNNTraining

extension EarlyStopping {
    /// The most epochs the method can train `configurations` configurations of `seeds` seeds and `epochs` epochs:
    /// synchronous halving's rung budget, each Hyperband bracket's summed, and the full grid for asynchronous
    /// halving (more than ⌈n/η⌉ configurations can go on when later ones keep being better).
    public func mostEpochs(configurations: Int, seeds: Int, epochs: Int) -> Int {
        switch method {
        case .successiveHalving:
            return rule.budget(configurations: configurations, seeds: seeds, epochs: epochs)
        case .asyncHalving:
            return configurations * seeds * epochs
        case .hyperband:
            let hyperband = Hyperband(rule: rule, epochs: epochs)
            return hyperband.brackets(configurations: configurations).reduce(0) { total, bracket in
                total + hyperband.budget(bracket: bracket.s, configurations: bracket.positions.count, seeds: seeds)
            }
        }
    }

    /// The most attempts one trial can take (one per rung it trains to): for the estimate's start-up costs.
    public func mostRungs(epochs: Int) -> Int {
        switch method {
        case .successiveHalving, .asyncHalving: rule.rungs(epochs: epochs).count
        case .hyperband:
            // The most aggressive bracket has the most rungs.
            Hyperband(rule: rule, epochs: epochs).maxBracket + 1
        }
    }
}
