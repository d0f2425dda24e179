import RNNCore

/// A regression tree grown as scikit-learn's `DecisionTreeRegressor` grows one inside a `RandomForestRegressor` with
/// Optuna's fANOVA settings (squared error, best splitter, every feature a candidate, `min_samples_split=2`,
/// `min_samples_leaf=1`): a node splits at the threshold that most reduces the weighted squared error, halfway
/// between two neighbouring distinct values, until it holds one sample, is pure or reaches `maxDepth`.
///
/// Nodes are in pre-order (a parent before its children, left subtree first), as scikit-learn numbers them: the
/// fANOVA pass relies on children having larger indices than their parent.
public struct RegressionTree: Sendable, Equatable {
    /// One node: a split (`feature ≥ 0`; `x[feature] <= threshold` goes left) or a leaf (`feature == -1`).
    public struct Node: Sendable, Equatable {
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        /// The weighted mean of the node's targets (a leaf's prediction).
        public var value: Double

        public init(feature: Int, threshold: Double, left: Int, right: Int, value: Double) {
            self.feature = feature
            self.threshold = threshold
            self.left = left
            self.right = right
            self.value = value
        }

        /// A leaf predicting `value`.
        public static func leaf(_ value: Double) -> Node {
            Node(feature: -1, threshold: 0, left: -1, right: -1, value: value)
        }

        public var isLeaf: Bool { feature < 0 }
    }

    public private(set) var nodes: [Node]

    /// A tree given node by node (tests build small ones by hand).
    public init(nodes: [Node]) {
        precondition(!nodes.isEmpty, "a tree needs a root")
        self.nodes = nodes
    }

    /// scikit-learn's `FEATURE_THRESHOLD`: values closer than this are one value (no split between them).
    static let featureThreshold = 1e-7

    /// Grows a tree on `rows` (one feature vector each) and `targets`, each sample counted `weights[i]` times
    /// (bootstrap counts; weight 0 leaves it out). `generator` orders the candidate features of each node, which
    /// decides between splits of equal gain, as scikit-learn's random feature order does.
    public init(
        rows: [[Double]], targets: [Double], weights: [Double], maxDepth: Int, generator: inout SplitMix64
    ) {
        precondition(rows.count == targets.count && rows.count == weights.count, "one target and weight per row")
        nodes = []
        let samples = rows.indices.filter { weights[$0] > 0 }
        precondition(!samples.isEmpty, "a tree needs a sample")
        var builder = Builder(rows: rows, targets: targets, weights: weights, maxDepth: maxDepth)
        builder.grow(samples, depth: 0, into: &nodes, generator: &generator)
    }

    /// The prediction for one feature vector.
    public func predict(_ row: [Double]) -> Double {
        var index = 0
        while !nodes[index].isLeaf {
            let node = nodes[index]
            index = row[node.feature] <= node.threshold ? node.left : node.right
        }
        return nodes[index].value
    }

    /// The split search, kept apart from the finished tree.
    private struct Builder {
        let rows: [[Double]]
        let targets: [Double]
        let weights: [Double]
        let maxDepth: Int

        /// Appends the subtree of `samples` to `nodes` in pre-order; returns its root's index.
        @discardableResult
        mutating func grow(
            _ samples: [Int], depth: Int, into nodes: inout [Node], generator: inout SplitMix64
        ) -> Int {
            var total = 0.0
            var sum = 0.0
            for i in samples {
                total += weights[i]
                sum += weights[i] * targets[i]
            }
            let mean = sum / total
            var squares = 0.0
            for i in samples { squares += weights[i] * (targets[i] - mean) * (targets[i] - mean) }
            let index = nodes.count
            nodes.append(.leaf(mean))
            // scikit-learn's leaf rules: too few samples, too deep, or pure (impurity ≤ machine epsilon).
            guard samples.count >= 2, depth < maxDepth, squares / total > Double.ulpOfOne,
                let split = bestSplit(samples, generator: &generator)
            else { return index }
            let left = samples.filter { rows[$0][split.feature] <= split.threshold }
            let right = samples.filter { rows[$0][split.feature] > split.threshold }
            let leftIndex = grow(left, depth: depth + 1, into: &nodes, generator: &generator)
            let rightIndex = grow(right, depth: depth + 1, into: &nodes, generator: &generator)
            nodes[index] = Node(
                feature: split.feature, threshold: split.threshold, left: leftIndex, right: rightIndex, value: mean)
            return index
        }

        /// The split with the largest proxy gain Σ²_left/w_left + Σ²_right/w_right (scikit-learn's
        /// `proxy_impurity_improvement` for squared error); the first found wins a tie, features in random order.
        func bestSplit(_ samples: [Int], generator: inout SplitMix64) -> (feature: Int, threshold: Double)? {
            var features = Array(rows[samples[0]].indices)
            generator.shuffle(&features)
            var best: (feature: Int, threshold: Double, gain: Double)?
            var totalWeight = 0.0
            var totalSum = 0.0
            for i in samples {
                totalWeight += weights[i]
                totalSum += weights[i] * targets[i]
            }
            for feature in features {
                let sorted = samples.sorted { (rows[$0][feature], $0) < (rows[$1][feature], $1) }
                var leftWeight = 0.0
                var leftSum = 0.0
                for position in 0..<(sorted.count - 1) {
                    let sample = sorted[position]
                    leftWeight += weights[sample]
                    leftSum += weights[sample] * targets[sample]
                    let here = rows[sample][feature]
                    let next = rows[sorted[position + 1]][feature]
                    guard next > here + RegressionTree.featureThreshold else { continue }
                    let rightWeight = totalWeight - leftWeight
                    let rightSum = totalSum - leftSum
                    let gain = leftSum * leftSum / leftWeight + rightSum * rightSum / rightWeight
                    if gain > best?.gain ?? -.infinity {
                        // Halfway, unless rounding puts the midpoint on the upper value (scikit-learn's rule).
                        var threshold = here / 2 + next / 2
                        if threshold == next || !threshold.isFinite { threshold = here }
                        best = (feature, threshold, gain)
                    }
                }
            }
            return best.map { ($0.feature, $0.threshold) }
        }
    }
}
