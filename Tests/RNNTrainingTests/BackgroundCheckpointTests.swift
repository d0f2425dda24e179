import Foundation
import RNNData
import Testing

@testable import RNNTraining

/// Background checkpoints and `checkpoint_every` change no bit of a run: its weights, metrics and checkpoints are
/// those of the synchronous writer of every epoch, and a run resumed from whatever checkpoint a crash left is the
/// uninterrupted run.
@Suite("Background checkpoints and checkpoint_every")
struct BackgroundCheckpointTests {
    /// A GRU with dropout (both RNG streams matter), Adam (two slots) and patience keeping its best weights (the
    /// `best/` tensors), so that every part of a checkpoint is exercised.
    static func config(epochs: Int, every: Int = 1) throws -> TrainingConfig {
        try TrainerTests.config([
            "epochs": .int(epochs), "checkpoint_every": .int(every), "patience": .int(50),
            "restore_best": .bool(true),
        ])
    }

    static func run(
        _ config: TrainingConfig, data: DatasetSplits, writer: CheckpointWriter, in directory: URL,
        until: Int? = nil, onEvent: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainingResult {
        try Trainer(config: config, data: data, checkpointDirectory: directory, checkpointWriter: writer)
            .run(until: until, onEvent: onEvent)
    }

    /// The checkpoint's tensors as bit patterns and its metadata without the history (whose seconds differ).
    static func contents(of directory: URL) throws -> (tensors: [String: [UInt32]], metadata: [String: String]) {
        let decoded = try SafeTensors.decode(Data(contentsOf: Checkpoint.url(in: directory)))
        var tensors: [String: [UInt32]] = [:]
        for t in decoded.tensors { tensors[t.name] = t.values.map(\.bitPattern) }
        var metadata = decoded.metadata
        metadata["history"] = nil
        return (tensors, metadata)
    }

    static func epoch(in directory: URL) -> Int? {
        guard let data = try? Data(contentsOf: Checkpoint.url(in: directory)),
            let decoded = try? SafeTensors.decode(data)
        else { return nil }
        return decoded.metadata["epoch"].flatMap { Int($0) }
    }

    static func expectSameRun(_ a: TrainingResult, _ b: TrainingResult, _ what: String) {
        #expect(a.weights.map(\.bitPattern) == b.weights.map(\.bitPattern), "\(what): weights")
        #expect(a.history.map(\.train) == b.history.map(\.train), "\(what): training metrics")
        #expect(a.history.map(\.validation) == b.history.map(\.validation), "\(what): validation metrics")
        #expect(a.test == b.test, "\(what): test metrics")
    }

    /// checkpoint_every 1 and 3, written in the background, give the weights, metrics and final checkpoint (every
    /// tensor bit, every metadata field but the seconds) of the synchronous writer of every epoch.
    @Test func backgroundWritesAndCheckpointEveryChangeNoBit() throws {
        let base = try Self.config(epochs: 7)
        let data = try DatasetLoader.load(base.dataset)
        let synchronousDirectory = TrainerTests.temporaryDirectory()
        let synchronous = try Self.run(
            base, data: data, writer: CheckpointWriter(mode: .synchronous), in: synchronousDirectory)
        let expected = try Self.contents(of: synchronousDirectory)
        #expect(expected.tensors.keys.contains { $0.hasPrefix(Checkpoint.bestPrefix) })
        for every in [1, 3] {
            let directory = TrainerTests.temporaryDirectory()
            let writer = CheckpointWriter(mode: .background)
            let background = try Self.run(
                try Self.config(epochs: 7, every: every), data: data, writer: writer, in: directory)
            Self.expectSameRun(background, synchronous, "checkpoint_every \(every)")
            let written = try Self.contents(of: directory)
            #expect(written.tensors == expected.tensors, "checkpoint_every \(every): tensors")
            // The parameters differ in checkpoint_every alone, which the compatibility key leaves out.
            var metadata = written.metadata
            var expectedMetadata = expected.metadata
            metadata["parameters"] = nil
            expectedMetadata["parameters"] = nil
            #expect(metadata == expectedMetadata, "checkpoint_every \(every): metadata")
            // Epochs 1...7 every epoch; 3, 6 and the last (7) every third.
            // Every due epoch is written, or replaced by a newer copy before its write began (how many depends on
            // the machine's timing; their sum does not).
            let statistics = writer.statistics
            #expect(statistics.written + statistics.superseded == (every == 1 ? 7 : 3))
            #expect(statistics.written >= 1)
        }
    }

    /// Which epochs are written: every N-th, the last, and the rung (`until`); seen with the synchronous writer, whose
    /// file is on disk when the epoch's event goes out.
    @Test func checkpointEveryWritesEveryNthEpochTheLastAndTheRung() throws {
        let config = try Self.config(epochs: 7, every: 3)
        let data = try DatasetLoader.load(config.dataset)
        for (until, expected) in [(7, [nil, nil, 3, 3, 3, 6, 7]), (5, [nil, nil, 3, 3, 5])] {
            let directory = TrainerTests.temporaryDirectory()
            var onDisk: [Int?] = []
            _ = try Self.run(
                config, data: data, writer: CheckpointWriter(mode: .synchronous), in: directory, until: until
            ) {
                if case .epoch = $0 { onDisk.append(Self.epoch(in: directory)) }
            }
            #expect(onDisk == expected, "until \(until)")
        }
    }

    /// With checkpoint_every 2, a run that stopped after epoch k (for every k) leaves the last even epoch's
    /// checkpoint (or none); resumed from it, it trains the epochs after it again and ends bit-identical to the
    /// uninterrupted run. The checkpoint a crash would leave is copied at epoch k's event, from the synchronous
    /// writer (exactly the last due epoch) and from the background one (the previous or the new file, whichever the
    /// rename made visible: each must resume the same).
    @Test func aRunStoppedAfterAnyEpochResumesBitIdentically() throws {
        let epochs = 6
        let config = try Self.config(epochs: epochs, every: 2)
        let data = try DatasetLoader.load(config.dataset)
        let uninterrupted = try Self.run(
            config, data: data, writer: CheckpointWriter(mode: .synchronous), in: TrainerTests.temporaryDirectory())
        for mode in [CheckpointWriter.Mode.synchronous, .background] {
            // The checkpoint folder as it was at each epoch's event.
            let directory = TrainerTests.temporaryDirectory()
            var copies: [Int: URL] = [:]
            _ = try Self.run(config, data: data, writer: CheckpointWriter(mode: mode), in: directory) {
                guard case .epoch(let m) = $0, m.epoch < epochs else { return }
                let copy = TrainerTests.temporaryDirectory()
                if let file = try? Data(contentsOf: Checkpoint.url(in: directory)) {
                    try? file.write(to: Checkpoint.url(in: copy))
                }
                copies[m.epoch] = copy
            }
            for k in 1..<epochs {
                let copy = try #require(copies[k])
                let onDisk = Self.epoch(in: copy) ?? 0
                if mode == .synchronous { #expect(onDisk == k / 2 * 2, "after epoch \(k)") }
                #expect(onDisk <= k && onDisk % 2 == 0, "\(mode) after epoch \(k): \(onDisk)")
                var events: [TrainingEvent] = []
                let resumed = try Trainer(
                    config: config, data: data, checkpointDirectory: copy, resume: true,
                    checkpointWriter: CheckpointWriter(mode: mode)
                ).run { events.append($0) }
                Self.expectSameRun(resumed, uninterrupted, "\(mode) stopped after epoch \(k)")
                guard case .started(let started) = events.first else {
                    Issue.record("no started event")
                    continue
                }
                #expect(started.resumedFromEpoch == onDisk)
                let trainedAgain = events.compactMap { if case .epoch(let m) = $0 { m.epoch } else { nil } }
                #expect(trainedAgain == Array(onDisk + 1...epochs))
            }
        }
    }

    /// checkpoint_every is not part of a trial's identity nor of a checkpoint's compatibility: any value keeps the
    /// ids, and a checkpoint written with one setting resumes with another.
    @Test func checkpointEveryIsNotPartOfTheIdentity() throws {
        let one = try Self.config(epochs: 4).parameters
        let five = try Self.config(epochs: 4, every: 5).parameters
        #expect(one.identity == five.identity)
        #expect(one.identityValues["checkpoint_every"] == nil)
        #expect(Checkpoint.compatibilityKey(one) == Checkpoint.compatibilityKey(five))
        let plain = try TrainerTests.config(["epochs": .int(4), "patience": .int(50), "restore_best": .bool(true)])
        #expect(plain.parameters.identity == one.identity)
    }
}
