import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// A persistent worker joins short epochs' event lines into one write, and the coordinator's log joins the epoch lines
/// of one wake-up: what arrives, and in which order, must not change.
@Suite("Persistent worker event batch")
struct PersistentWorkerEventBatchTests {
    private func epoch(_ n: Int, seconds: Double) -> TrainingEvent {
        .epoch(EpochMetrics(epoch: n, train: [.loss: 1.0 / Double(n)], seconds: seconds))
    }

    /// Every write, split back into its lines.
    private func lines(_ writes: [String]) -> [String] { writes.flatMap { $0.split(separator: "\n").map(String.init) } }

    @Test func shortEpochsWaitForTheNextOtherEventAndKeepTheirOrder() throws {
        var writes: [String] = []
        let batch = WorkerEventBatch(interval: .seconds(3600)) { writes.append($0) }
        let events = (1...5).map { epoch($0, seconds: 0.0001) }
        for event in events { batch.send(event) }
        #expect(writes.isEmpty)
        let finished = TrainingEvent.finished(.init(test: [.loss: 0.5], seconds: 0.01))
        batch.send(finished)
        #expect(writes.count == 1)
        #expect(lines(writes) == (events + [finished]).map(\.jsonLine))
        batch.send(line: "end")
        #expect(writes == [writes[0], "end"])
    }

    @Test func aLongEpochGoesOutAtOnceWithTheShortOnesBeforeIt() throws {
        var writes: [String] = []
        let batch = WorkerEventBatch(interval: .seconds(3600)) { writes.append($0) }
        let short = epoch(1, seconds: 0.0001)
        let long = epoch(2, seconds: WorkerEventBatch.shortEpoch * 2)
        batch.send(short)
        batch.send(long)
        #expect(writes.count == 1)
        #expect(lines(writes) == [short.jsonLine, long.jsonLine])
    }

    @Test func theTrialsLastEpochGoesOutAtOnce() throws {
        var writes: [String] = []
        let batch = WorkerEventBatch(interval: .seconds(3600)) { writes.append($0) }
        let started = try TrainingEvent(
            jsonLine: #"{"event":"started","resumed_from_epoch":0,"epochs":3,"train_samples":10,"#
                + #""batches_per_epoch":1,"parameters":5,"dataset":"x","history":[]}"#)
        guard case .started(let s) = started, s.epochs == 3 else { Issue.record("\(started)"); return }
        batch.send(started)
        let events = (1...3).map { epoch($0, seconds: 0.0001) }
        batch.send(events[0])
        batch.send(events[1])
        #expect(writes.count == 1)
        batch.send(events[2])
        #expect(writes.count == 2)
        #expect(lines(writes) == ([started] + events).map(\.jsonLine))
    }

    @Test func withoutAnIntervalNothingWaits() throws {
        var writes: [String] = []
        let batch = WorkerEventBatch(interval: .zero) { writes.append($0) }
        let events = (1...3).map { epoch($0, seconds: 0.0001) }
        for event in events { batch.send(event) }
        #expect(writes == events.map(\.jsonLine))
    }

    @Test func aStopWritesWhatWaits() throws {
        var writes: [String] = []
        let batch = WorkerEventBatch(interval: .seconds(3600)) { writes.append($0) }
        batch.send(epoch(1, seconds: 0.0001))
        batch.flush()
        batch.flush()
        #expect(lines(writes) == [epoch(1, seconds: 0.0001).jsonLine])
    }

    @Test func theLogWritesKeptEpochLinesBeforeAnyOtherLine() throws {
        var writes: [String] = []
        let reporter = SweepReporter(terminal: false) { writes.append($0) }
        reporter.epoch(lane: 0, metrics: EpochMetrics(epoch: 1, train: [.loss: 0.25], seconds: 0.001), epochs: 2)
        reporter.epoch(lane: 0, metrics: EpochMetrics(epoch: 2, train: [.loss: 0.125], seconds: 0.001), epochs: 2)
        #expect(writes.isEmpty)
        reporter.note("a note")
        #expect(writes.count == 2)
        let logged = lines(writes)
        #expect(logged.count == 3)
        #expect(logged[0].contains("epoch 1/2") && logged[1].contains("epoch 2/2") && logged[2].hasSuffix("a note"))
        reporter.epoch(lane: 0, metrics: EpochMetrics(epoch: 3, train: [.loss: 0.1], seconds: 0.001), epochs: 3)
        reporter.flushEpochLines()
        #expect(writes.count == 3 && writes[2].contains("epoch 3/3"))
    }
}
