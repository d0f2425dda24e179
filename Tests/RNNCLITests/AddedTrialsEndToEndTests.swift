import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

extension EndToEnd {
    /// A scheduler may add trials while the sweep runs: they are registered with their ordinals before they start,
    /// run like the file's, and a resumed run takes them in without adding them again.
    @Suite struct AddedTrialsEndToEndTests {
        /// The file's order, plus one configuration (dropout 0.25 at every grid point) once the first trial has
        /// completed, unless the sweep already has it. Decided from facts alone.
        struct AddOnceScheduler: TrialScheduler {
            var inner: GridScheduler
            let make: TrialMaker
            var added: Bool
            var last: (ordinal: Int, gridPoint: Int)
            var ready: [SchedulerDecision] = []

            init(facts: SchedulerFacts, make: @escaping TrialMaker) {
                inner = GridScheduler(facts: facts)
                self.make = make
                added = facts.trials.contains { $0.parameters.double("dropout") == 0.25 }
                last = (facts.trials.map(\.ordinal).max() ?? 0, facts.trials.map(\.gridPoint).max() ?? 0)
            }

            var runnableCount: Int { inner.runnableCount }
            var isFinished: Bool { inner.isFinished && added }
            mutating func next() -> ScheduledRun? { inner.next() }
            mutating func recorded(trial: String, epoch: EpochMetrics) {}
            mutating func resumed(trial: String, from epoch: Int) {}
            mutating func admit(_ trials: [TrialSpec]) { inner.admit(trials) }

            mutating func ended(trial: String, _ ending: AttemptEnding) {
                inner.ended(trial: trial, ending)
                guard ending == .completed, !added else { return }
                added = true
                let sample = [ParameterSetting(key: "dropout", value: .double(0.25), position: .start)]
                let trials = try! make(sample, last)
                inner.admit(trials)
                ready.append(.added(trials, reason: "one more configuration after the first completed"))
            }

            mutating func decisions() -> [SchedulerDecision] {
                defer { ready = [] }
                return ready
            }
        }

        func run(_ workspace: SweepWorkspace, _ path: String) throws -> SweepSummary {
            let (experiment, expanded) = try ExperimentFile.loadSweep(path: path)
            var definition = SweepDefinition(experiment: experiment, sweep: expanded)
            definition.scheduler = { facts, make in AddOnceScheduler(facts: facts, make: make!) }
            let options = SweepRunOptions(
                databaseURL: workspace.database, workers: 1, threadsPerWorker: 1, retries: 0,
                workerExecutable: RNNSweepBinary.url)
            return try SweepRunner(
                definition: definition, options: options, reporter: SweepReporter(terminal: false) { _ in }
            ).run()
        }

        @Test func addedTrialsAreRegisteredRunAndTakenInByAResumedRun() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(
                name: "adds", sequenceLength: 10, samples: 200, epochs: 1, cells: ["simple_rnn"], units: [4, 8])
            let path = try workspace.write("adds.yaml", sweep.yaml)
            let first = try run(workspace, path)
            #expect(first.completed == 4 && first.failed == 0, "\(first)")

            let store = try MetricsStore.openExisting(at: workspace.database)
            let id = try #require(try store.sweep(named: "adds")).id
            let rows = try store.trials(sweep: id).sorted { $0.ordinal < $1.ordinal }
            #expect(rows.map(\.ordinal) == [1, 2, 3, 4])
            #expect(rows.map(\.gridPoint) == [1, 2, 3, 4])
            #expect(rows.map(\.status) == Array(repeating: .completed, count: 4))
            #expect(rows.map { AddedTrials.isAdded($0) } == [false, false, true, true])
            #expect(rows.allSatisfy { !$0.isSuperseded })
            let units = try rows.map { row in
                try JSONDecoder().decode(TrainingParameters.self, from: Data(row.paramsJSON.utf8))
            }.map { "\($0.int("units")) \($0.double("dropout"))" }
            #expect(units == ["4 0.0", "8 0.0", "4 0.25", "8 0.25"])

            // Resumed: the added trials are the sweep's; nothing is added (or registered) twice, nothing re-runs.
            let again = try run(workspace, path)
            #expect(again.total == 4 && again.alreadyCompleted == 4 && again.completed == 0, "\(again)")
            let after = try store.trials(sweep: id).sorted { $0.ordinal < $1.ordinal }
            #expect(after.map(\.id) == rows.map(\.id) && after.map(\.ordinal) == [1, 2, 3, 4])
            #expect(after.allSatisfy { !$0.isSuperseded })

            // A sweep with more trials than its file's expansion still reads.
            let status = try workspace.run(["status", "adds"])
            #expect(status.status == 0 && status.stdout.contains("4"), "\(status)")
            let report = try workspace.run(["report", "adds"])
            #expect(report.status == 0, "\(report)")
        }
    }
}
