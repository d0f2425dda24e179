import Foundation
import GRDB
import RNNTraining
import Testing

@testable import RNNSweep

/// What the coordinator does for every epoch a worker reports, made cheaper for small trials (thousands of epochs a
/// second): the same lines, records and text as before.
@Suite("Coordinator throughput")
struct CoordinatorThroughputTests {
    /// Lines come out whole and in order however the bytes are cut, a trailing partial line waits, and bytes that
    /// are not UTF-8 are repaired, not trapped on.
    @Test func lineSplitterKeepsLinesWholeAcrossReads() {
        let text = (1...50).map { "{\"epoch\":\($0),\"event\":\"epoch\"}" }.joined(separator: "\n") + "\nhalf"
        let bytes = Array(text.utf8)
        for cut in [1, 7, 64, bytes.count] {
            var splitter = LineSplitter()
            var lines: [String] = []
            for start in stride(from: 0, to: bytes.count, by: cut) {
                lines += splitter.append(Data(bytes[start..<min(start + cut, bytes.count)]))
            }
            #expect(lines == (1...50).map { "{\"epoch\":\($0),\"event\":\"epoch\"}" }, "cut \(cut)")
            #expect(splitter.append(Data(" done\n\n".utf8)) == ["half done", ""])
        }
        var splitter = LineSplitter()
        #expect(splitter.append(Data([0x61, 0xFF, 0xFE, 0x0A])) == ["a\u{FFFD}\u{FFFD}"])
    }

    /// The end-of-trial line is found by its bytes, and only there: an event that merely mentions the tag is an
    /// event.
    @Test func trialEndIsRecognizedByItsTag() {
        #expect(WorkerTrialEnd(jsonLine: WorkerTrialEnd(status: 3).jsonLine) == WorkerTrialEnd(status: 3))
        #expect(WorkerTrialEnd(jsonLine: #"{"status":0,"event":"trial_end"}"#) == WorkerTrialEnd(status: 0))
        #expect(WorkerTrialEnd(jsonLine: #"{"event":"trial_end"}"#) == WorkerTrialEnd(status: WorkerExit.failed))
        #expect(WorkerTrialEnd(jsonLine: #"{"event":"error","kind":"internal","message":"trial_end"}"#) == nil)
        #expect(WorkerTrialEnd(jsonLine: #"{"event":"trial_en"}"#) == nil)
        #expect(WorkerTrialEnd(jsonLine: "trial_end") == nil)
        #expect(WorkerTrialEnd(jsonLine: "") == nil)
    }

    /// The log's numbers are written as `String(format:)` wrote them, rounding and signs included, and values
    /// too long for the fast path still come out whole.
    @Test func fixedDecimalsMatchStringFormat() {
        let values: [Double] = [
            0, -0.0, 1, -1, 0.00005, 0.00015, 0.123_456_789, 2.5, 1e-9, 123_456.789_01, -98_765.432_1, 1e20, 1e300,
            -1e300, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
        ]
        for x in values {
            for digits in [0, 1, 2, 4] {
                #expect(MetricLine.fixed(x, digits: digits) == String(format: "%.\(digits)f", x), "\(x) \(digits)")
            }
        }
        #expect(MetricLine.decimal(.nan) == "nan" && MetricLine.decimal(.infinity) == "inf")
        #expect(MetricLine.value(0.912_34, .accuracy) == "91.23%")
    }

    /// Epochs of several trials written in one flush, interleaved as two workers send them: every row lands, and
    /// each trial's `last_epoch` is its last one.
    @Test func interleavedEpochsAreRecordedPerTrial() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.makeSweep(trials: 2)
        let (a, b) = (storeHexID("t0"), storeHexID("t1"))
        try store.markStarted(sweep: sweep, trial: a, pid: 1)
        try store.markStarted(sweep: sweep, trial: b, pid: 2)
        let recorder = SweepRecorder(store: store, sweepID: sweep, waiting: { _ in })
        let order = [(a, 1), (a, 2), (b, 1), (a, 3), (b, 2), (b, 3), (b, 4)]
        for (trial, epoch) in order {
            recorder.deferEpoch(
                EpochMetrics(epoch: epoch, loss: Double(epoch), accuracy: 0.5), trial: trial, cursor: nil)
        }
        try recorder.flush()
        #expect(try store.epochs(sweep: sweep, trial: a).map(\.epoch) == [1, 2, 3])
        #expect(try store.epochs(sweep: sweep, trial: b).map(\.epoch) == [1, 2, 3, 4])
        let rows = try store.trials(sweep: sweep)
        #expect(rows.first { $0.id == a }?.lastEpoch == 3 && rows.first { $0.id == b }?.lastEpoch == 4)
        // The store's rule holds for a batch as for one epoch: none for a trial that is not running.
        try store.markCompleted(sweep: sweep, trial: a, test: [.loss: 1], seconds: 1)
        recorder.deferEpoch(EpochMetrics(epoch: 4, loss: 4, accuracy: 0.5), trial: a, cursor: nil)
        #expect(throws: MetricsStoreError.self) { try recorder.flush() }
        #expect(recorder.takeLostEpochs() == [a])
        #expect(try store.epochs(sweep: sweep, trial: a).map(\.epoch) == [1, 2, 3])
    }

    /// A trial's overhead on small data is milliseconds: the plan says how many.
    @Test func shortDurationsReadInMilliseconds() {
        #expect(PlanEstimate.duration(0.0042) == "4.2 ms")
        #expect(PlanEstimate.duration(0.021) == "21 ms")
        #expect(PlanEstimate.duration(0.1) == "0.1 s")
        #expect(PlanEstimate.duration(42) == "42 s")
    }

    /// From a database: an epoch's seconds are its shape's mean (slow epochs are real time), a trial's overhead its
    /// wall time beyond its epochs, and the gap the time between one trial's finish and the next start on the same
    /// worker process.
    @Test func theHistorySaysWhatTrialsReallyCost() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let params = try TrainingParameters.resolve(["units": .int(16), "epochs": .int(3)]).canonicalJSON
        let sweep = try store.registerSweep(
            name: "s", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: [])
        let ids = [storeHexID("a"), storeHexID("b")]
        try store.registerTrials(
            sweep: sweep,
            trials: ids.enumerated().map {
                NewTrial(id: $0.element, ordinal: $0.offset + 1, gridPoint: 1, seed: $0.offset + 1, paramsJSON: params)
            })
        // Two trials on worker 7: 0.0–2.0 s and 2.5–4.0 s; their epochs 0.1, 0.1, 0.7 and 0.1, 0.1, 0.1 seconds.
        for (id, epochs) in zip(ids, [[0.1, 0.1, 0.7], [0.1, 0.1, 0.1]]) {
            try store.markStarted(sweep: sweep, trial: id, pid: 7)
            for (index, seconds) in epochs.enumerated() {
                try store.recordEpoch(
                    sweep: sweep, trial: id, EpochMetrics(epoch: index + 1, loss: 1, accuracy: 0.5, seconds: seconds))
            }
            try store.markCompleted(sweep: sweep, trial: id, test: [.loss: 1], seconds: 1)
        }
        try store.pool.write { db in
            for (id, (start, finish)) in zip(ids, [("00.000", "02.000"), ("02.500", "04.000")]) {
                try db.execute(
                    sql: "UPDATE trials SET started_at = ?, finished_at = ? WHERE id = ?",
                    arguments: ["2026-12-08T01:00:\(start)Z", "2026-12-08T01:00:\(finish)Z", id])
            }
        }
        let cost = TrialCost(
            history: try TrialCost.history(store), calibratedOverhead: 0, calibratedSource: "none")
        let parameters = try TrainingParameters.resolve(["units": .int(16), "epochs": .int(3)])
        #expect(abs(cost.epoch(parameters)! - 0.2) < 1e-9, "the epochs' mean, not their median (0.1)")
        // Overheads 2.0 − 0.9 = 1.1 and 1.5 − 0.3 = 1.2: their median 1.15; the gap 0.5.
        #expect(abs(cost.trialGap! - 0.5) < 1e-6)
        #expect(abs(cost.overhead(parameters) - (1.15 + 0.5)) < 1e-6)
        #expect(abs(cost.seconds(parameters, epochs: 3) - (1.15 + 0.5 + 3 * 0.2)) < 1e-6)
    }
}
