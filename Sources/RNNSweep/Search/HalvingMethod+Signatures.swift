import RNNTraining

extension HalvingMethod {
    /// Every rule signature the method records its decisions under, for up to `configurations` configurations of
    /// `epochs` epochs: the rule's own, asynchronous halving's, or one per Hyperband bracket. A report reads the
    /// sweep's decisions by these, so a decision of another method (an edited file) is never read as this one's.
    func signatures(rule: SuccessiveHalving, epochs: Int, configurations: Int) -> Set<String> {
        switch self {
        case .successiveHalving:
            return [rule.signature]
        case .asyncHalving:
            return [HalvingState.asyncSignature(rule)]
        case .hyperband:
            let hyperband = Hyperband(rule: rule, epochs: epochs)
            return Set(
                hyperband.brackets(configurations: configurations).map {
                    hyperband.signature(iteration: $0.iteration, bracket: $0.s)
                })
        }
    }
}
