import Foundation
import RNNData
import RNNEngine
import RNNTraining

/// The memory one trial's worker needs, estimated before anything is allocated: the model as the engine builds it
/// (``ModelMemory``: weights, gradients, activations kept for backpropagation through time), the optimizer's slots,
/// the data set as loaded (or, for generated data, as it would be), the trainer's batch buffers and the process
/// itself. `plan` shows it per trial and warns of trials that exceed the memory; `run` refuses them; calibration
/// skips them.
public struct MemoryEstimate: Sendable, Equatable {
    /// Bytes of the model's weights and buffers.
    public var model: Double
    /// Bytes of the optimizer's slots.
    public var optimizer: Double
    /// Bytes of the data set in memory.
    public var data: Double
    /// Bytes of the trainer's batch buffers, of a checkpoint being written (a copy of the weights and the optimizer's
    /// slots) and of the worker process before any of the above.
    public var workspace: Double

    /// The whole estimate, in bytes.
    public var bytes: Double { model + optimizer + data + workspace }

    /// What a worker process holds before its data and model (the runtime, oneDNN, the binary): the peak resident
    /// set of `rnnsweep train` on a 64-unit SimpleRNN, 20 steps, batch 32 (40.2 MB, debug build) less its model.
    static let processBytes: Double = 38 * 1_048_576

    /// The estimate for a trial of `parameters` on data of `shape` that holds `dataBytes` bytes.
    public static func trial(_ parameters: TrainingParameters, shape: InputShape, dataBytes: Double) throws
        -> MemoryEstimate
    {
        let config = try TrainingConfig(parameters: parameters)
        let memory = try config.model(shape: shape).memory(maxBatch: config.batchSize)
        let batch = Double(config.batchSize)
        // The gathered batch `[T, B, D]` and its targets.
        let batchBuffers = 4 * batch * (Double(shape.timesteps) * Double(shape.features) + Double(shape.outputs) + 1)
        let slots = config.optimizer.slotFloats(parameters: memory.parameters)
        // `Checkpoint.save` copies the weights and slots into tensors while the model lives.
        let checkpoint = 4 * (memory.parameters + slots)
        return MemoryEstimate(
            model: memory.bytes, optimizer: 4 * slots, data: dataBytes,
            workspace: batchBuffers + checkpoint + processBytes)
    }

    /// The estimate of a trial whose data is generated, from its parameters alone (nothing is generated); nil for
    /// data read from files.
    public static func generated(_ parameters: TrainingParameters) throws -> MemoryEstimate? {
        let spec = try TrainingConfig(parameters: parameters).dataset
        guard let size = spec.generatedSize else { return nil }
        let shape = InputShape(timesteps: size.timesteps, features: size.features, outputs: size.classes)
        return try trial(parameters, shape: shape, dataBytes: size.bytes)
    }

    /// `45.2 GB (model 44.9 GB, optimizer 10.1 MB, data 1.3 MB, workspace 52.1 MB)`.
    public var description: String {
        "\(Self.format(bytes)) (model \(Self.format(model)), optimizer \(Self.format(optimizer)), "
            + "data \(Self.format(data)), workspace \(Self.format(workspace)))"
    }

    /// Decimal units, three significant digits: `812 MB`, `45.2 GB`, `8.00 TB`.
    public static func format(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes
        var unit = 0
        while value >= 999.5 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(Int(value.rounded())) B" }
        let format = value >= 99.95 ? "%.0f %@" : value >= 9.995 ? "%.1f %@" : "%.2f %@"
        return String(format: format, value, units[unit])
    }
}
