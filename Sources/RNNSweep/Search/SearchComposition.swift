/// Which early-stopping methods a model-based search runs under.
///
/// TPE proposes configurations generation by generation, once the earlier ones have settled, and hands them to the
/// rule. Successive and asynchronous halving decide a generation's configurations among those that reached the
/// rung, so they compose (asynchronous halving then waits at each generation's end, as TPE does). Hyperband does
/// not: it lays whole iterations of brackets out over the configurations in grid order, sized and checked before
/// the run, when only TPE's start-up is known; later generations would fill its brackets piecemeal, each rung
/// decided among whichever part of a bracket had arrived. (BOHB, which combines the two, samples per bracket.)
enum SearchComposition {
    /// Why `search` cannot run under `stopping`, nil when it can.
    static func problem(search: SearchSpace, stopping: EarlyStopping?) -> String? {
        guard case .tpe = search.method, stopping?.method == .hyperband else { return nil }
        return "early_stopping: method: hyperband does not compose with search: method: tpe (Hyperband's brackets "
            + "are laid out over configurations known before the run; TPE proposes them while it runs); use "
            + "successive_halving or async_halving with tpe, or hyperband with random search"
    }
}
