/// The functional ANOVA of one regression tree over a box-shaped search space (Hutter, Hoos & Leyton-Brown 2014,
/// "An Efficient Approach for Assessing Hyperparameter Importance"), computed as Optuna's `_FanovaTree` does:
/// the tree is a piecewise-constant function over the box; its total variance is the leaves' values weighted by
/// their volumes, and the variance of a set of columns is that of the function's marginal over them (every other
/// column averaged out), evaluated on the cells between the tree's split thresholds on those columns.
struct FANOVATree {
    let tree: RegressionTree
    /// Per column, the `(lower, upper)` of the search space.
    let bounds: [(lower: Double, upper: Double)]
    /// Per node, the volume-weighted mean of its leaves and their total volume.
    private(set) var statistics: [(value: Double, weight: Double)] = []
    /// Per column, the midpoints and widths of the cells the tree's thresholds on it cut the bounds into.
    private(set) var midpoints: [[Double]] = []
    private(set) var sizes: [[Double]] = []
    /// Per node, which columns some split of its subtree uses.
    private(set) var subtreeColumns: [[Bool]] = []
    /// The variance of the tree's function over the box.
    private(set) var variance = 0.0

    init(tree: RegressionTree, bounds: [(lower: Double, upper: Double)]) {
        self.tree = tree
        self.bounds = bounds
        precomputeStatistics()
        precomputeCells()
        precomputeSubtreeColumns()
        let leaves = tree.nodes.indices.filter { tree.nodes[$0].isLeaf }.map { statistics[$0] }
        variance = Self.weightedVariance(leaves)
    }

    private static func volume(_ box: [(lower: Double, upper: Double)]) -> Double {
        box.reduce(1) { $0 * ($1.upper - $1.lower) }
    }

    /// The variance of `values` weighted by `weight` (numpy's `average((v - average(v, w))², w)`).
    static func weightedVariance(_ items: [(value: Double, weight: Double)]) -> Double {
        let total = items.reduce(0) { $0 + $1.weight }
        let mean = items.reduce(0) { $0 + $1.value * $1.weight } / total
        return items.reduce(0) { $0 + ($1.value - mean) * ($1.value - mean) * $1.weight } / total
    }

    private func children(
        _ index: Int, _ box: [(lower: Double, upper: Double)]
    ) -> [(node: Int, box: [(lower: Double, upper: Double)])] {
        let node = tree.nodes[index]
        var left = box
        var right = box
        left[node.feature].upper = node.threshold
        right[node.feature].lower = node.threshold
        return [(node.left, left), (node.right, right)]
    }

    private mutating func precomputeStatistics() {
        let nodes = tree.nodes
        statistics = Array(repeating: (0, 0), count: nodes.count)
        var boxes: [[(lower: Double, upper: Double)]?] = Array(repeating: nil, count: nodes.count)
        boxes[0] = bounds
        for index in nodes.indices {
            let box = boxes[index]!
            if nodes[index].isLeaf {
                statistics[index] = (nodes[index].value, Self.volume(box))
            } else {
                for child in children(index, box) { boxes[child.node] = child.box }
            }
        }
        for index in nodes.indices.reversed() where !nodes[index].isLeaf {
            let parts = [statistics[nodes[index].left], statistics[nodes[index].right]]
            let weight = parts[0].weight + parts[1].weight
            statistics[index] = ((parts[0].value * parts[0].weight + parts[1].value * parts[1].weight) / weight, weight)
        }
    }

    private mutating func precomputeCells() {
        var thresholds = Array(repeating: Set<Double>(), count: bounds.count)
        for node in tree.nodes where !node.isLeaf { thresholds[node.feature].insert(node.threshold) }
        for (column, values) in thresholds.enumerated() {
            let edges = [bounds[column].lower] + values.sorted() + [bounds[column].upper]
            midpoints.append(zip(edges, edges.dropFirst()).map { 0.5 * ($0 + $1) })
            sizes.append(zip(edges, edges.dropFirst()).map { $1 - $0 })
        }
    }

    private mutating func precomputeSubtreeColumns() {
        let nodes = tree.nodes
        subtreeColumns = Array(repeating: Array(repeating: false, count: bounds.count), count: nodes.count)
        for index in nodes.indices.reversed() where !nodes[index].isLeaf {
            subtreeColumns[index][nodes[index].feature] = true
            for child in [nodes[index].left, nodes[index].right] {
                for column in bounds.indices where subtreeColumns[child][column] {
                    subtreeColumns[index][column] = true
                }
            }
        }
    }

    /// The variance of the marginal of `columns` (one parameter: its column, or its one-hot columns together).
    func marginalVariance(_ columns: [Int]) -> Double {
        var items: [(value: Double, weight: Double)] = []
        var cell = Array(repeating: 0, count: columns.count)
        var sample = [Double?](repeating: nil, count: bounds.count)
        // Every combination of one cell per column (an odometer over the cell indices).
        outer: while true {
            var size = 1.0
            for (position, column) in columns.enumerated() {
                sample[column] = midpoints[column][cell[position]]
                size *= sizes[column][cell[position]]
            }
            let marginal = marginalized(sample)
            items.append((marginal.value, marginal.weight * size))
            for position in columns.indices.reversed() {
                cell[position] += 1
                if cell[position] < midpoints[columns[position]].count { continue outer }
                cell[position] = 0
            }
            break
        }
        return max(0, Self.weightedVariance(items))
    }

    /// The tree's mean over the columns `sample` leaves nil, with the others fixed at their given values, and the
    /// volume that mean is over (Optuna's `_get_marginalized_statistics`).
    func marginalized(_ sample: [Double?]) -> (value: Double, weight: Double) {
        let active = sample.map { $0 != nil }
        var start = bounds
        for column in bounds.indices where !active[column] { start[column] = (0, 1) }
        var stack: [(node: Int, box: [(lower: Double, upper: Double)])] = [(0, start)]
        var reached: [(value: Double, weight: Double)] = []
        while let (index, box) = stack.popLast() {
            let node = tree.nodes[index]
            if !node.isLeaf {
                if let value = sample[node.feature] {
                    let next = children(index, box)
                    stack.append(value <= node.threshold ? next[0] : next[1])
                    continue
                }
                if bounds.indices.contains(where: { active[$0] && subtreeColumns[index][$0] }) {
                    stack.append((node.left, box))
                    stack.append((node.right, box))
                    continue
                }
            }
            // A leaf, or a subtree that splits on no fixed column: its precomputed mean stands for it.
            reached.append((statistics[index].value, statistics[index].weight / Self.volume(box)))
        }
        let weight = reached.reduce(0) { $0 + $1.weight }
        return (reached.reduce(0) { $0 + $1.value * $1.weight } / weight, weight)
    }
}
