import RNNData
import Testing

@Suite struct GatherTests {
    /// 3 examples, T = 2, F = 3; example e, step t, feature f holds 100e + 10t + f.
    static let values: [Int] = (0..<3).flatMap { e in (0..<2).flatMap { t in (0..<3).map { f in 100 * e + 10 * t + f } }
    }

    @Test func floatsAreWrittenTimeMajor() {
        let set = SequenceSet(
            timesteps: 2, features: 3, labels: [4, 5, 6], storage: .floats(Self.values.map { Float($0) }))
        // Batch [2, 0]: t = 0 → example 2 then example 0, t = 1 → the same.
        #expect(set.gatherTimeMajor([2, 0]) == [200, 201, 202, 0, 1, 2, 210, 211, 212, 10, 11, 12])
        var labels = [Int32](repeating: -1, count: 2)
        [2, 0].withUnsafeBufferPointer { set.labels(at: $0, into: &labels) }
        #expect(labels == [6, 4])
    }

    @Test func bytesAreScaledByOneOver255() {
        let bytes: [UInt8] = [0, 255, 51, 3, 7, 128, 1, 2, 254, 10, 20, 30]  // 2 examples, T = 3, F = 2
        let set = SequenceSet(timesteps: 3, features: 2, labels: [0, 1], storage: .bytes(bytes))
        let batch = set.gatherTimeMajor([1, 1, 0])
        let expected: [UInt8] = [1, 2, 1, 2, 0, 255, 254, 10, 254, 10, 51, 3, 20, 30, 20, 30, 7, 128]
        #expect(batch == expected.map { Float($0) / 255 })
        #expect(batch[5] == 1 && batch[4] == 0)
    }

    @Test(arguments: [1, 3, 8, 28])
    func everyWidthMatchesThePerElementDefinition(features: Int) {
        // Wide and narrow steps take different code paths; batches over 16 cross a block boundary.
        let (count, steps) = (40, 5)
        let bytes = (0..<(count * steps * features)).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        let labels = (0..<count).map { Int32($0 % 3) }
        let byteSet = SequenceSet(timesteps: steps, features: features, labels: labels, storage: .bytes(bytes))
        let floatSet = SequenceSet(
            timesteps: steps, features: features, labels: labels, storage: .floats(bytes.map { Float($0) * 0.5 }))
        let indices = (0..<37).map { ($0 * 11) % count }
        for set in [byteSet, floatSet] {
            let batch = set.gatherTimeMajor(indices)
            var mismatches = 0
            for t in 0..<steps {
                for (b, example) in indices.enumerated() {
                    for f in 0..<features
                    where batch[(t * indices.count + b) * features + f] != set.value(example: example, t: t, f: f) {
                        mismatches += 1
                    }
                }
            }
            #expect(batch.count == steps * indices.count * features)
            #expect(mismatches == 0)
        }
    }

    @Test func subsetsCopyTheRightExamples() {
        let set = SequenceSet(
            timesteps: 2, features: 3, labels: [4, 5, 6], storage: .floats(Self.values.map { Float($0) }))
        let tail = set.suffix(from: 1)
        #expect(tail.count == 2 && tail.labels == [5, 6])
        #expect(tail.value(example: 0, t: 1, f: 2) == 112)
        let head = set.prefix(1)
        #expect(head.labels == [4] && head.storage == .floats([0, 1, 2, 10, 11, 12]))
        #expect(set.prefix(10) == set)
        #expect(set.subset(1..<2).gatherTimeMajor([0]) == [100, 101, 102, 110, 111, 112])
    }
}
