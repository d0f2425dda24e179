import RNNTraining

/// Asynchronous successive halving (ASHA, Li et al. 2018), decided in grid-point order instead of arrival order, so
/// that its promotions never wait for a full rung and still depend on the recorded metrics alone.
///
/// The rule. Configurations (grid points) are decided at each rung but the last in ascending grid-point order, which
/// is the order the experiment file writes them and the order they start in. Configuration i is decided at rung k
/// as soon as it and every configuration before it have either reached rung k (every seed's trial has trained to
/// the rung's epoch and is not in flight, or diverged) or settled below it (stopped at a lower rung, or holding a
/// trial that failed for good). Among the n_i configurations j ≤ i that reached rung k, i is ranked by
/// `SuccessiveHalving`'s rule (better mean over seeds first, non-finite last, ties to the lower grid point) and is
/// promoted iff its rank is within the best ⌈n_i/η⌉ (`SuccessiveHalving.kept`) and its mean is finite. Every
/// decision is final and recorded once.
///
/// Why ⌈n_i/η⌉ and not ASHA's ⌊n_i/η⌋: with the floor, configurations 1 … η−1 would be stopped at every rung
/// whatever their metric (⌊1/η⌋ = 0), so the first grid points of a file could never win. With the ceiling the
/// first configuration always goes on (as Ray Tune's ASHA lets its first arrivals go on), and the last one is cut
/// at the synchronous rule's ⌈N/η⌉. More than ⌈N/η⌉ configurations can go on (when later ones keep being better),
/// which is the price of deciding without the whole rung, as in ASHA.
///
/// Determinism: which configurations reached a rung and their metrics are facts; the order of decisions is the grid
/// order, never the order trials finished. A decision waits only for lower grid points, never for a higher one.
extension HalvingState {
    /// What asynchronous halving's decisions are recorded under.
    static func asyncSignature(_ rule: SuccessiveHalving) -> String {
        "async_halving metric=\(rule.metric.recordName) min_epochs=\(rule.minEpochs) "
            + "reduction_factor=\(rule.reductionFactor)"
    }

    /// A grid point's score at `epoch`: the mean of its seeds (NaN with a diverged seed; a seed patience completed
    /// before the rung counts with its last value, as under the synchronous rule).
    func score(point: Int, epoch: Int) -> SuccessiveHalving.Score {
        SuccessiveHalving.Score(
            gridPoint: point,
            values: (trialsOf[point] ?? []).map { id in standing[id] == .diverged ? .nan : score(of: id, at: epoch) })
    }

    /// Whether every trial of `point` has reached `epoch` (or diverged, or completed before it because patience
    /// stopped it) and none is in flight.
    func hasReached(point: Int, epoch: Int) -> Bool {
        (trialsOf[point] ?? []).allSatisfy { hasReached($0, epoch: epoch) }
    }

    /// The asynchronous rule's decisions that are ready now (see the type's comment), lower rungs first; a stop at
    /// one rung can let a higher rung's prefix move on in the same call.
    func readyAsynchronously() -> [Decision] {
        var state = self
        var decided: [Decision] = []
        let points = trialsOf.keys.sorted()
        for (k, epoch) in rungs.enumerated().dropLast() {
            var reached: [SuccessiveHalving.Score] = []
            for point in points {
                if state.decisions[epoch]?[point] != nil {
                    reached.append(state.score(point: point, epoch: epoch))
                    continue
                }
                let target = state.target(point: point)
                let failed = (trialsOf[point] ?? []).contains { standing[$0] == .failed }
                // Settled below the rung: stopped earlier, or a trial failed for good (it never reaches the rung).
                if target == nil || failed { continue }
                // Still training towards the rung, or waiting at a lower one: later points wait for it.
                guard target == epoch, state.hasReached(point: point, epoch: epoch) else { break }
                let score = state.score(point: point, epoch: epoch)
                reached.append(score)
                let rank = rule.ranked(reached).firstIndex { $0.gridPoint == point }! + 1
                let decision = Decision(
                    rung: k, epoch: epoch, gridPoint: point, score: score.mean, rank: rank,
                    promoted: score.mean.isFinite && rank <= rule.kept(of: reached.count))
                state.restore(decision: decision)
                decided.append(decision)
            }
        }
        return decided
    }
}
