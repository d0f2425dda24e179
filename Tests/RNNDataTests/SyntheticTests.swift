import RNNCore
import RNNData
import Testing

@Suite struct SyntheticTests {
    static let tasks = ["adding", "parity", "sum-sign"]

    @Test(arguments: tasks)
    func sameSeedSameDataOtherSeedOtherData(name: String) throws {
        let first = try DatasetLoader.load(DatasetSpec(name: name, seed: 7))
        let again = try DatasetLoader.load(DatasetSpec(name: name, seed: 7))
        let other = try DatasetLoader.load(DatasetSpec(name: name, seed: 8))
        #expect(first.train == again.train && first.test == again.test)
        #expect(first.train.storage != other.train.storage)
        #expect(first.train.count == 4000 && first.test.count == 1000 && first.classes == 2)
        #expect(first.timesteps == 20 && first.features == (name == "adding" ? 2 : 1))
        // The test set comes from another stream, not a continuation or copy of the training one.
        #expect(first.test.storage != first.train.prefix(1000).storage)
        #expect(first.view == nil)
    }

    @Test(arguments: tasks)
    func labelsAreBalancedIsh(name: String) throws {
        let splits = try DatasetLoader.load(DatasetSpec(name: name, seed: 3))
        let ones = splits.train.labels.filter { $0 == 1 }.count
        #expect(splits.train.labels.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(ones >= 1400 && ones <= 2600)
    }

    @Test func parityLabelsMatchTheBits() throws {
        let splits = try DatasetLoader.load(DatasetSpec(name: "parity", sequenceLength: 9, samples: 400))
        #expect(splits.test.count == 100 && splits.timesteps == 9)
        for set in [splits.train, splits.test] {
            for example in 0..<set.count {
                let bits = (0..<9).map { set.value(example: example, t: $0, f: 0) }
                #expect(bits.allSatisfy { $0 == 0 || $0 == 1 })
                #expect(Int32(bits.filter { $0 == 1 }.count % 2) == set.labels[example])
            }
        }
    }

    @Test func addingHasOneMarkerPerHalfAndTheRightLabel() throws {
        let splits = try DatasetLoader.load(DatasetSpec(name: "adding", sequenceLength: 10, samples: 200))
        let set = splits.train
        for example in 0..<set.count {
            let markers = (0..<10).filter { set.value(example: example, t: $0, f: 1) == 1 }
            #expect(markers.count == 2 && markers[0] < 5 && markers[1] >= 5)
            let values = (0..<10).map { set.value(example: example, t: $0, f: 0) }
            #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
            let sum = markers.map { Double(values[$0]) }.reduce(0, +)
            #expect(set.labels[example] == (sum > 1 ? 1 : 0))
        }
    }

    @Test func sumSignLabelsFollowTheSumOfNormals() throws {
        let set = try DatasetLoader.load(DatasetSpec(name: "sum-sign", sequenceLength: 5, samples: 400)).train
        var sumOfSquares = 0.0
        for example in 0..<set.count {
            let values = (0..<5).map { Double(set.value(example: example, t: $0, f: 0)) }
            #expect(set.labels[example] == (values.reduce(0, +) > 0 ? 1 : 0))
            sumOfSquares += values.map { $0 * $0 }.reduce(0, +)
        }
        // Standard normals: the mean square of 2000 draws is 1 ± ~0.1.
        #expect(abs(sumOfSquares / 2000 - 1) < 0.15)
    }

    @Test func splitMix64MatchesTheReferenceOutput() {
        // First outputs of the reference C implementation (Vigna) seeded with 1234567.
        var rng = SplitMix64(seed: 1_234_567)
        #expect(
            (0..<3).map { _ in rng.next() } == [
                6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            ])
    }

    @Test func badSyntheticSpecsAreRejected() {
        let length = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "adding", sequenceLength: 1))
        }
        #expect(length == .invalidSpec(field: "sequence_length", reason: "is 1; adding needs at least 2"))
        #expect(throws: DataError.self) { try DatasetLoader.load(DatasetSpec(name: "parity", samples: 3)) }
    }
}
