import Foundation
import RNNEngine
import RNNTraining
import Testing

@testable import RNNSweep

/// Each trial's memory, estimated before anything is allocated, and the limit it is held to.
@Suite("Memory estimate")
struct MemoryEstimateTests {
    func trial(_ values: [String: ParameterValue], ordinal: Int = 1) throws -> TrialSpec {
        var all: [String: ParameterValue] = ["dataset": .string("sum-sign"), "seed": .int(1)]
        all.merge(values) { _, new in new }
        let parameters = try TrainingParameters.resolve(all)
        return TrialSpec(ordinal: ordinal, parameters: parameters, gridPoint: ordinal)
    }

    @Test func theIssuesHugeShapesAreTerabytesAndNothingIsAllocated() throws {
        // Issue 25, item 7: 8192 units × 16 LSTM layers at batch 65536, and 10⁷ samples of 10⁵ steps.
        let model = try #require(
            try MemoryEstimate.generated(
                trial([
                    "cell": .string("lstm"), "units": .int(8192), "layers": .int(16), "batch_size": .int(65536),
                ]).parameters))
        #expect(model.model > 1e12)
        let data = try #require(
            try MemoryEstimate.generated(
                trial(["samples": .int(10_000_000), "sequence_length": .int(100_000)]).parameters))
        // 1.25·10⁷ examples × 10⁵ steps × 4 bytes + a label each.
        #expect(data.data == 12_500_000 * (100_000 * 4 + 4))
    }

    @Test func theEstimateAddsTheEnginesModelTheOptimizerAndTheData() throws {
        let spec = try trial([
            "cell": .string("gru"), "units": .int(32), "batch_size": .int(16), "optimizer": .string("adam"),
            "sequence_length": .int(10), "samples": .int(100),
        ])
        let estimate = try #require(try MemoryEstimate.generated(spec.parameters))
        let config = RecurrentConfig(cell: .gru, units: 32, timesteps: 10, features: 1, outputs: 2)
        let memory = config.memory(maxBatch: 16)
        #expect(estimate.model == memory.bytes)
        #expect(estimate.optimizer == 8 * memory.parameters)
        #expect(estimate.data == 125 * (10 * 4 + 4))
        #expect(estimate.bytes == estimate.model + estimate.optimizer + estimate.data + estimate.workspace)
    }

    @Test func sweepMemoryFlagsWhatExceedsTheLimitAndRunRefusesIt() throws {
        let small = try trial(["units": .int(8), "batch_size": .int(8)], ordinal: 1)
        let large = try trial(
            ["units": .int(4096), "batch_size": .int(4096), "sequence_length": .int(500)], ordinal: 2)
        let memory = try SweepMemory.generated([small, large], limit: MemoryLimit.parse("1G"))
        #expect(memory.fits(small))
        #expect(!memory.fits(large))
        let refusal = try #require(memory.refusal([small, large]))
        #expect(refusal.contains("#2 \(large.id) needs ≈ "))
        #expect(refusal.contains("--memory 1G"))
        #expect(!refusal.contains("#1 "))
        #expect(try SweepMemory.generated([small], limit: MemoryLimit.parse("1G")).refusal([small]) == nil)
    }

    @Test func limitsParseWithBinarySuffixesAndTheMachineIsRead() {
        #expect(MemoryLimit.parse("8G")?.bytes == Double(8 * 1_073_741_824))
        #expect(MemoryLimit.parse("512m")?.bytes == Double(512 * 1_048_576))
        #expect(MemoryLimit.parse("1000")?.bytes == 1000)
        #expect(MemoryLimit.parse("8GiB") == nil)
        #expect(MemoryLimit.parse("-1G") == nil)
        #expect(MemoryLimit.parse("lots") == nil)
        #expect((MemoryLimit.machine()?.bytes ?? 0) > 0)
        #expect(MemoryLimit.slurm("2048")?.bytes == Double(2048 * 1_048_576), "sbatch reads a bare number as MB")
        #expect(MemoryLimit.slurm("4G")?.source == "the Slurm executor's mem: 4G")
        #expect(MemoryLimit.forRun(nil, executor: .slurm(SlurmSettings())) == nil)
        #expect(MemoryLimit.forRun(nil, executor: .slurm(SlurmSettings(mem: "1G")))?.bytes == Double(1_073_741_824))
        #expect(MemoryLimit.forRun(MemoryLimit.parse("3G"), executor: .local)?.source == "--memory 3G")
        #expect(MemoryEstimate.format(45_200_000_000) == "45.2 GB")
        #expect(MemoryEstimate.format(812_000_000) == "812 MB")
        #expect(MemoryEstimate.format(8e12) == "8.00 TB")
    }
}
