/// The Pareto front of a set of points: the points no other point dominates.
///
/// A point dominates another when it is at least as good in every objective and strictly better in one, where
/// "better" follows each objective's direction. Equal vectors do not dominate each other, so ties on the front are
/// all optimal. A point with a missing (nil) or non-finite coordinate is never a candidate, and never dominates.
public enum ParetoFront {
    /// Whether each point of `points` is on the front; `higherIsBetter[k]` is the direction of objective k.
    ///
    /// Sorting by the first objective (best first, ties broken by the remaining ones lexicographically) lets every
    /// point be checked only against the front found so far: a point that could dominate it sorts before it.
    public static func optimal(_ points: [[Double?]], higherIsBetter: [Bool]) -> [Bool] {
        precondition(!higherIsBetter.isEmpty, "a Pareto front needs at least one objective")
        // Maximise every objective: negate those where lower is better.
        let oriented: [[Double]?] = points.map { point in
            precondition(point.count == higherIsBetter.count, "every point needs one value per objective")
            var values: [Double] = []
            for (value, higher) in zip(point, higherIsBetter) {
                guard let value, value.isFinite else { return nil }
                values.append(higher ? value : -value)
            }
            return values
        }
        let candidates = oriented.indices.filter { oriented[$0] != nil }
        let order = candidates.sorted { a, b in
            let (x, y) = (oriented[a]!, oriented[b]!)
            for (u, v) in zip(x, y) where u != v { return u > v }
            return a < b
        }
        var result = [Bool](repeating: false, count: points.count)
        var front: [[Double]] = []
        for index in order {
            let point = oriented[index]!
            if !front.contains(where: { dominates($0, point) }) {
                result[index] = true
                front.append(point)
            }
        }
        return result
    }

    /// Whether `a` dominates `b` (both oriented so that higher is better).
    static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var strictly = false
        for (x, y) in zip(a, b) {
            if x < y { return false }
            if x > y { strictly = true }
        }
        return strictly
    }
}
