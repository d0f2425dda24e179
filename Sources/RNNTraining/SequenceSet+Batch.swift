import RNNData
import RNNEngine

extension SequenceSet {
    /// Gathers the examples at `indices` into the time-major `input` buffer and their targets — class labels into
    /// `labels`, regression values into `values` — then runs `body` with the targets as the engine takes them. The
    /// one way a batch is assembled, for training steps and for every evaluation.
    @inline(__always)
    func withBatch<Result>(
        _ indices: UnsafeBufferPointer<Int>, input: UnsafeMutablePointer<Float>, labels: inout [Int32],
        values: UnsafeMutablePointer<Float>, _ body: (BatchTargets) -> Result
    ) -> Result {
        gatherTimeMajor(indices, into: input)
        switch targets {
        case .classes:
            return labels.withUnsafeMutableBufferPointer { out in
                self.labels(at: indices, into: out.baseAddress!)
                return body(.classes(out.baseAddress!))
            }
        case .values:
            targetValues(at: indices, into: values)
            return body(.values(values))
        }
    }
}
