/// The fit rule of a deadline, pure: which runs (in run order, each with its cost from ``TrialCost``) can finish
/// before the deadline when each starts on whichever worker is free first, as the coordinator starts them.
///
/// A run that does not fit does not start and holds no worker: a later, shorter run may still fit. Ties between
/// equally free workers go to the lowest-numbered one, so the answer depends only on the inputs.
enum DeadlineFit {
    /// For each cost in order, whether it fits: `free` are the seconds from now until each worker is free (0 for an
    /// idle one), `left` the seconds from now to the deadline.
    static func fits(costs: [Double], free: [Double], left: Double) -> [Bool] {
        var lanes = free.isEmpty ? [0] : free
        var result: [Bool] = []
        result.reserveCapacity(costs.count)
        for cost in costs {
            let lane = lanes.indices.min { lanes[$0] < lanes[$1] || (lanes[$0] == lanes[$1] && $0 < $1) }!
            if lanes[lane] + cost <= left {
                lanes[lane] += cost
                result.append(true)
            } else {
                result.append(false)
            }
        }
        return result
    }

    /// Whether one run of `cost` seconds, started now on an idle worker, ends by the deadline `left` seconds away.
    static func fits(cost: Double, left: Double) -> Bool { cost <= left }
}
