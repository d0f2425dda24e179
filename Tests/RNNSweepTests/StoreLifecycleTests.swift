import Foundation
import GRDB
import RNNTraining
import Testing

@testable import RNNSweep

@Suite("Store lifecycle")
struct StoreLifecycleTests {
    let dir: StoreTemporaryDirectory
    let store: MetricsStore

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("m.sqlite"))
    }

    @Test func pendingRunningCompleted() throws {
        let sweep = try store.makeSweep(trials: 1)
        let id = storeHexID("t0")
        #expect(try store.trials(sweep: sweep).map(\.status) == [.pending])
        try store.markStarted(sweep: sweep, trial: id, pid: 4242)
        var trial = try #require(try store.trials(sweep: sweep).first)
        #expect(trial.status == .running)
        #expect(trial.attempts == 1)
        #expect(trial.workerPID == 4242)
        #expect(trial.startedAt?.hasSuffix("Z") == true)
        try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: 1, loss: 0.9, accuracy: 0.6))
        try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: 2, loss: 0.5, accuracy: 0.8))
        // Replacing an epoch of the running attempt is allowed.
        try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: 2, loss: 0.4, accuracy: 0.85))
        try store.markCompleted(sweep: sweep, trial: id, testLoss: 0.45, testAccuracy: 0.84, seconds: 12.5)
        trial = try #require(try store.trials(sweep: sweep).first)
        #expect(trial.status == .completed)
        #expect(trial.lastEpoch == 2)
        #expect(trial.testAccuracy == 0.84)
        #expect(trial.finishedAt != nil)
        #expect(try store.epochs(sweep: sweep, trial: id).map(\.accuracy) == [0.6, 0.85])
        #expect(try store.statusCounts(sweep: sweep)[.completed] == 1)
        #expect(try store.statusCounts(sweep: sweep)[.pending] == 0)
    }

    @Test func completedTrialsAreImmutable() throws {
        let sweep = try store.makeSweep(trials: 1)
        let id = storeHexID("t0")
        try store.markStarted(sweep: sweep, trial: id, pid: 1)
        try store.markCompleted(sweep: sweep, trial: id, testLoss: 0.1, testAccuracy: 0.9, seconds: 1)
        let error = #expect(throws: MetricsStoreError.self) {
            try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: 3, loss: 1, accuracy: 0))
        }
        #expect(error?.description.contains("immutable") == true)
        #expect(throws: MetricsStoreError.self) { try store.markStarted(sweep: sweep, trial: id, pid: 2) }
        #expect(throws: MetricsStoreError.self) {
            try store.markFailed(sweep: sweep, trial: id, status: .failed, error: "x")
        }
        #expect(throws: MetricsStoreError.self) { try store.deleteEpochs(sweep: sweep, trial: id, after: 0) }
        #expect(try store.trials(sweep: sweep).first?.status == .completed)
        #expect(throws: MetricsStoreError.unknownTrial(sweep: sweep.description, trial: "nope")) {
            try store.markStarted(sweep: sweep, trial: "nope", pid: 1)
        }
    }

    @Test func epochsNeedARunningAttempt() throws {
        let sweep = try store.makeSweep(trials: 1)
        #expect(throws: MetricsStoreError.self) {
            try store.recordEpoch(sweep: sweep, trial: storeHexID("t0"), EpochMetrics(epoch: 1, loss: 1, accuracy: 0))
        }
    }

    @Test func failedWithSignal() throws {
        let sweep = try store.makeSweep(trials: 1)
        let id = storeHexID("t0")
        try store.markStarted(sweep: sweep, trial: id, pid: 7)
        try store.markFailed(
            sweep: sweep, trial: id, status: .failed, exitStatus: nil, signal: 9, error: "killed by signal 9",
            stderrTail: "line 1\nline 2")
        let trial = try #require(try store.trials(sweep: sweep).first)
        #expect(trial.status == .failed)
        #expect(trial.signal == 9)
        #expect(trial.exitStatus == nil)
        #expect(trial.error == "killed by signal 9")
        #expect(trial.stderrTail == "line 1\nline 2")
        // A retry clears the previous attempt's failure.
        try store.markStarted(sweep: sweep, trial: id, pid: 8)
        let retried = try #require(try store.trials(sweep: sweep).first)
        #expect(retried.attempts == 2)
        #expect(retried.signal == nil && retried.error == nil)
    }

    @Test func staleRunningBecomesInterrupted() throws {
        let sweep = try store.makeSweep(trials: 3)
        try store.markStarted(sweep: sweep, trial: storeHexID("t0"), pid: 1)
        try store.markStarted(sweep: sweep, trial: storeHexID("t2"), pid: 2)
        #expect(try store.markStaleRunningAsInterrupted(sweep: sweep) == 2)
        #expect(try store.trials(sweep: sweep).map(\.status) == [.interrupted, .pending, .interrupted])
        #expect(try store.markStaleRunningAsInterrupted(sweep: sweep) == 0)
    }

    @Test func trialsToRunWithAndWithoutRetry() throws {
        let sweep = try store.makeSweep(trials: 6)
        let ids = (0..<6).map { storeHexID("t\($0)") }
        for id in ids.dropFirst() { try store.markStarted(sweep: sweep, trial: id, pid: 1) }
        try store.markCompleted(sweep: sweep, trial: ids[1], testLoss: 0, testAccuracy: 1, seconds: 1)
        try store.markFailed(sweep: sweep, trial: ids[2], status: .failed, exitStatus: 1, error: "boom")
        try store.markFailed(sweep: sweep, trial: ids[3], status: .diverged, error: "loss is NaN")
        try store.markInterrupted(sweep: sweep, trial: ids[4])
        // ids[5] stays running (stale), ids[0] pending.
        #expect(try store.trialsToRun(sweep: sweep, retryFailed: false).map(\.id) == [ids[0], ids[4], ids[5]])
        #expect(
            try store.trialsToRun(sweep: sweep, retryFailed: true).map(\.id)
                == [ids[0], ids[2], ids[3], ids[4], ids[5]])
    }

    @Test func deleteEpochsAfterCheckpoint() throws {
        let sweep = try store.makeSweep(trials: 1)
        let id = storeHexID("t0")
        try store.markStarted(sweep: sweep, trial: id, pid: 1)
        for epoch in 1...5 {
            try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: epoch, loss: 1, accuracy: 0.1))
        }
        try store.markInterrupted(sweep: sweep, trial: id, signal: 15)
        try store.markStarted(sweep: sweep, trial: id, pid: 2)
        try store.deleteEpochs(sweep: sweep, trial: id, after: 3)
        #expect(try store.epochs(sweep: sweep, trial: id).map(\.epoch) == [1, 2, 3])
        #expect(try store.trials(sweep: sweep).first?.lastEpoch == 3)
        try store.deleteEpochs(sweep: sweep, trial: id, after: 0)
        #expect(try store.epochs(sweep: sweep, trial: id).isEmpty)
        #expect(try store.trials(sweep: sweep).first?.lastEpoch == nil)
    }

    @Test func reRegisteringKeepsStatusesAndUpdatesOrder() throws {
        let sweep = try store.makeSweep(name: "grid", trials: 2)
        try store.markStarted(sweep: sweep, trial: storeHexID("t0"), pid: 1)
        try store.markCompleted(sweep: sweep, trial: storeHexID("t0"), testLoss: 0, testAccuracy: 1, seconds: 1)
        let again = try store.registerSweep(
            name: "grid", description: "v2", experimentPath: "e2.yaml", experimentJSON: "{\"a\":1}",
            varyingKeys: ["optimizer", "units"])
        #expect(again == sweep)
        try store.registerTrials(
            sweep: sweep,
            trials: [
                NewTrial(id: storeHexID("new"), ordinal: 0, gridPoint: 0, seed: 1, paramsJSON: "{\"units\":8}"),
                NewTrial(id: storeHexID("t0"), ordinal: 2, gridPoint: 2, seed: 1, paramsJSON: "{\"units\":32}"),
            ])
        let trials = try store.trials(sweep: sweep)
        #expect(trials.map(\.id) == [storeHexID("new"), storeHexID("t1"), storeHexID("t0")])
        #expect(trials.map(\.status) == [.pending, .pending, .completed])
        #expect(trials.map(\.gridPoint) == [0, 1, 2])
        let row = try #require(try store.sweep(named: "grid"))
        #expect(row.varyingKeys == ["optimizer", "units"])
        #expect(row.description == "v2")
        #expect(try store.sweeps().count == 1)
    }
}
