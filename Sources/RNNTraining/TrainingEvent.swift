import Foundation

/// What a training run reports while it runs: printed by `train`, streamed as JSON lines by sweep workers.
///
/// Wire format: one JSON object per line with an `event` field (`started`, `progress`, `epoch`, `finished`,
/// `error`). Non-finite numbers are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` so a diverged metric stays
/// distinguishable from a missing one.
public enum TrainingEvent: Sendable, Equatable {
    /// `resumedFromEpoch` is 0 for a fresh start, else the checkpoint's epoch.
    case started(Started)
    case progress(Progress)
    case epoch(EpochMetrics)
    case finished(Finished)
    /// The run stopped after the epoch it was asked to stop at (a successive-halving rung), without testing; its
    /// checkpoint is that epoch's.
    case paused(Paused)
    case error(Failure)

    public struct Started: Codable, Sendable, Equatable {
        public var resumedFromEpoch: Int
        public var epochs: Int
        public var trainSamples: Int
        public var batchesPerEpoch: Int
        public var parameters: Int
        public var dataset: String
        /// The metrics of the epochs restored from the checkpoint (empty on a fresh start), so a reader that missed
        /// them (a coordinator killed between a checkpoint and its database commit) can record them now.
        public var history: [EpochMetrics] = []
        /// Set when the run's checkpoint could not be resumed and was renamed instead (a sweep's retry policy):
        /// "moved checkpoint.safetensors aside to checkpoint.corrupt-<UTC time>.safetensors: <why>". Absent from the
        /// JSON when nil, so older readers are unaffected.
        public var discardedCheckpoint: String?
        /// Where this attempt runs and what runs it; absent in events of an rnnsweep before 0.6.0 and of a trainer
        /// that was given no build identity.
        public var provenance: Provenance?
        enum CodingKeys: String, CodingKey {
            case epochs, parameters, dataset, history, provenance
            case discardedCheckpoint = "discarded_checkpoint"
            case resumedFromEpoch = "resumed_from_epoch"
            case trainSamples = "train_samples"
            case batchesPerEpoch = "batches_per_epoch"
        }
    }

    public struct Progress: Codable, Sendable, Equatable {
        public var epoch: Int
        public var batch: Int
        public var batches: Int
        public var samplesPerSecond: Double
        /// Seconds since the epoch started.
        public var seconds: Double
        enum CodingKeys: String, CodingKey {
            case epoch, batch, batches, seconds
            case samplesPerSecond = "samples_per_second"
        }
    }

    /// The test metrics of the trained model, keyed `test_loss`, `test_accuracy` (or `test_mae`, `test_rmse`).
    public struct Finished: Codable, Sendable, Equatable {
        public var test: [Metric: Double]
        public var seconds: Double
        /// A classifier's test confusion matrix, `[true class][predicted class]` counts (`test_confusion`).
        public var confusion: [[Int]]?
        /// The epoch patience stopped training at (`stopped_epoch`); nil when it ran its epochs.
        public var stoppedEpoch: Int?
        /// The best epoch patience saw (`best_epoch`); nil without patience or without its metric.
        public var bestEpoch: Int?
        /// The epoch whose weights restore_best put back for the test metrics to measure (`restored_epoch`), which
        /// may be the last (Keras 3 restores whenever it kept weights); nil without restore_best.
        public var restoredEpoch: Int?
        /// Seconds of the test pass (`test_pass_seconds`): with the epochs' seconds, the time the attempt spent in
        /// training and evaluation steps (a worker's busy time). Nil in the events of an rnnsweep before it.
        public var testPassSeconds: Double?

        public init(
            test: [Metric: Double], seconds: Double, confusion: [[Int]]? = nil, stoppedEpoch: Int? = nil,
            bestEpoch: Int? = nil, restoredEpoch: Int? = nil, testPassSeconds: Double? = nil
        ) {
            self.testPassSeconds = testPassSeconds
            self.test = test
            self.seconds = seconds
            self.confusion = confusion
            self.stoppedEpoch = stoppedEpoch
            self.bestEpoch = bestEpoch
            self.restoredEpoch = restoredEpoch
        }

        /// The classification form (test loss and accuracy).
        public init(testLoss: Double, testAccuracy: Double, seconds: Double) {
            self.init(test: [.loss: testLoss, .accuracy: testAccuracy], seconds: seconds)
        }

        public var testLoss: Double { test[.loss] ?? .nan }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: NameKey.self)
            seconds = try c.decode(Double.self, forKey: NameKey("seconds"))
            test = try c.decodeMetrics(.test, requiringLoss: true)
            confusion = try c.decodeIfPresent([[Int]].self, forKey: NameKey("test_confusion"))
            // Absent from the events of an rnnsweep before patience, and of a run without it.
            stoppedEpoch = try c.decodeIfPresent(Int.self, forKey: NameKey("stopped_epoch"))
            bestEpoch = try c.decodeIfPresent(Int.self, forKey: NameKey("best_epoch"))
            restoredEpoch = try c.decodeIfPresent(Int.self, forKey: NameKey("restored_epoch"))
            testPassSeconds = try c.decodeIfPresent(Double.self, forKey: NameKey("test_pass_seconds"))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: NameKey.self)
            try c.encode(seconds, forKey: NameKey("seconds"))
            try c.encodeIfPresent(confusion, forKey: NameKey("test_confusion"))
            try c.encodeIfPresent(stoppedEpoch, forKey: NameKey("stopped_epoch"))
            try c.encodeIfPresent(bestEpoch, forKey: NameKey("best_epoch"))
            try c.encodeIfPresent(restoredEpoch, forKey: NameKey("restored_epoch"))
            try c.encodeIfPresent(testPassSeconds, forKey: NameKey("test_pass_seconds"))
            try c.encode(test, split: .test)
        }
    }

    public struct Paused: Codable, Sendable, Equatable {
        /// The epoch it stopped after.
        public var epoch: Int
        /// Seconds this run (since `started`) took.
        public var seconds: Double

        public init(epoch: Int, seconds: Double) {
            self.epoch = epoch
            self.seconds = seconds
        }
    }

    public struct Failure: Codable, Sendable, Equatable {
        /// `diverged`, `data`, `configuration`, `checkpoint`, `disk_full`, `unwritable` or `internal` on the wire.
        public var kind: Kind
        public var message: String
        public var epoch: Int?
        public var batch: Int?
        public init(kind: Kind, message: String, epoch: Int? = nil, batch: Int? = nil) {
            self.kind = kind
            self.message = message
            self.epoch = epoch
            self.batch = batch
        }
    }
}

extension TrainingEvent: Codable {
    private enum Tag: String, Codable { case started, progress, epoch, finished, paused, error }
    private enum TagKey: String, CodingKey { case event }

    public init(from decoder: any Decoder) throws {
        let tag = try decoder.container(keyedBy: TagKey.self).decode(Tag.self, forKey: .event)
        switch tag {
        case .started: self = .started(try Started(from: decoder))
        case .progress: self = .progress(try Progress(from: decoder))
        case .epoch: self = .epoch(try EpochMetrics(from: decoder))
        case .finished: self = .finished(try Finished(from: decoder))
        case .paused: self = .paused(try Paused(from: decoder))
        case .error: self = .error(try Failure(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var tagContainer = encoder.container(keyedBy: TagKey.self)
        switch self {
        case .started(let v): try tagContainer.encode(Tag.started, forKey: .event); try v.encode(to: encoder)
        case .progress(let v): try tagContainer.encode(Tag.progress, forKey: .event); try v.encode(to: encoder)
        case .epoch(let v): try tagContainer.encode(Tag.epoch, forKey: .event); try v.encode(to: encoder)
        case .finished(let v): try tagContainer.encode(Tag.finished, forKey: .event); try v.encode(to: encoder)
        case .paused(let v): try tagContainer.encode(Tag.paused, forKey: .event); try v.encode(to: encoder)
        case .error(let v): try tagContainer.encode(Tag.error, forKey: .event); try v.encode(to: encoder)
        }
    }

    /// One line of the wire format (no trailing newline).
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Encoding these plain structs cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Parses one line of the wire format.
    public init(jsonLine: String) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        self = try decoder.decode(TrainingEvent.self, from: Data(jsonLine.utf8))
    }
}
