import Foundation
import RNNEngine

/// A copy of everything a checkpoint holds, taken at an epoch boundary so that it can be written while the next
/// epoch changes the model: the weights and the optimizer's slots (a memcpy of their blocks into buffers allocated
/// once, at the first capture) and the ``TrainingState`` (RNG and shuffle state, patience's counters and kept
/// weights, the metric history: values, so a copy of them never changes).
final class CheckpointSnapshot {
    private(set) var specs: [TensorSlot] = []
    private var weights: [Float] = []
    private var slotNames: [String] = []
    private var slotValues: [[Float]] = []
    private(set) var state: TrainingState?

    /// Copies the model's and the optimizer's blocks and `state`. The buffers are reused from one epoch to the next;
    /// they are allocated again only if the blocks' sizes differ (never within one run).
    func capture(model: any SequenceModel, optimizer: any Optimizer, state: TrainingState) {
        let store = model.parameters
        let slots = optimizer.slots
        if weights.count != store.count || slotNames != slots.map(\.name) {
            weights = [Float](repeating: 0, count: store.count)
            slotNames = slots.map(\.name)
            slotValues = slots.map { _ in [Float](repeating: 0, count: store.count) }
        }
        specs = store.specs
        weights.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: store.values, count: store.count) }
        for (i, slot) in slots.enumerated() {
            slotValues[i].withUnsafeMutableBufferPointer {
                $0.baseAddress!.update(from: slot.buffer.pointer, count: store.count)
            }
        }
        self.state = state
    }

    /// The checkpoint file of the captured copy (``Checkpoint/encode``), for the run `target` describes.
    func encode(for target: CheckpointTarget) -> Data? {
        guard let state else { return nil }
        return weights.withUnsafeBufferPointer { weightBlock in
            // The slots' blocks, pinned for the encoder.
            func encode(slot index: Int, pinned: [(name: String, values: UnsafePointer<Float>)]) -> Data {
                guard index < slotValues.count else {
                    return Checkpoint.encode(
                        specs: specs, weights: weightBlock.baseAddress!, slots: pinned, state: state,
                        metadata: target.metadata)
                }
                return slotValues[index].withUnsafeBufferPointer {
                    encode(slot: index + 1, pinned: pinned + [(slotNames[index], $0.baseAddress!)])
                }
            }
            return encode(slot: 0, pinned: [])
        }
    }
}

/// What a checkpoint records of the run besides its weights and state, and where it goes: the same for every
/// checkpoint of a run.
struct CheckpointTarget {
    var directory: URL
    var architecture: any ModelArchitecture
    var parameters: TrainingParameters
    var dataFingerprint: String?
    /// The run's metadata, encoded once (``CheckpointMetadata``).
    var metadata: CheckpointMetadata
}
