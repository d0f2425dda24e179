import RNNCore

/// Small generated sequence-classification tasks with two classes, for checking that a recurrent model learns
/// long-range structure. All values are Floats; `SequenceView` does not apply to them.
enum SyntheticTask: String, CaseIterable {
    /// T steps × 2 features: a value uniform in [0, 1) and a 0/1 marker; exactly two steps are marked, one in each
    /// half. Label 1 when the two marked values sum to more than 1.
    case adding
    /// T steps × 1 feature of random bits; label = parity of the number of ones.
    case parity
    /// T steps × 1 feature of standard normals; label 1 when their sum is positive.
    case sumSign = "sum-sign"

    /// Features per timestep.
    var features: Int { self == .adding ? 2 : 1 }

    /// Train (`samples` examples, stream 0 of `seed`) and test (`samples / 4`, stream 1) sets.
    func generate(length: Int, samples: Int, seed: UInt64) -> LoadedData {
        var trainStream = SplitMix64.stream(0, of: seed)
        var testStream = SplitMix64.stream(1, of: seed)
        return LoadedData(
            train: generate(count: samples, length: length, using: &trainStream), validation: nil,
            test: generate(count: samples / 4, length: length, using: &testStream), classes: 2)
    }

    private func generate(count: Int, length: Int, using rng: inout SplitMix64) -> SequenceSet {
        var values = [Float]()
        values.reserveCapacity(count * length * features)
        var labels = [Int32]()
        labels.reserveCapacity(count)
        for _ in 0..<count {
            labels.append(example(length: length, into: &values, using: &rng))
        }
        return SequenceSet(timesteps: length, features: features, labels: labels, storage: .floats(values))
    }

    /// Appends one example's values and returns its label; labels are computed from the stored Floats.
    private func example(length: Int, into values: inout [Float], using rng: inout SplitMix64) -> Int32 {
        switch self {
        case .adding:
            let half = length / 2
            let first = rng.nextInt(below: half)
            let second = half + rng.nextInt(below: length - half)
            var sum = 0.0
            for t in 0..<length {
                let value = rng.nextFloat()
                let marked = t == first || t == second
                values.append(value)
                values.append(marked ? 1 : 0)
                if marked { sum += Double(value) }
            }
            return sum > 1 ? 1 : 0
        case .parity:
            var ones = 0
            for _ in 0..<length {
                let bit = Int(rng.next() >> 63)
                ones += bit
                values.append(Float(bit))
            }
            return Int32(ones % 2)
        case .sumSign:
            var sum = 0.0
            for _ in 0..<length {
                let value = Float(rng.nextNormal())
                sum += Double(value)
                values.append(value)
            }
            return sum > 0 ? 1 : 0
        }
    }
}
