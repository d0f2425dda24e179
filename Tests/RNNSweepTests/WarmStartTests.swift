import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// `search: warm_start: [sweep, …]`: parsed with positions; matched against earlier sweeps of a real SQLite file
/// (same data, other data, another fixed parameter, a value outside the space, an unfinished trial); stored so a
/// resumed run takes the same trials; and fed to the TPE scheduler, which then proposes differently, deterministically.
@Suite struct WarmStartTests {
    // MARK: Parsing

    static func yaml(name: String = "b", warmStart: String = "  warm_start: [a, c]\n", method: String = "tpe")
        -> String
    {
        "name: \(name)\ndataset: sum-sign\nvalidation_split: 0.25\ndefaults:\n  epochs: 3\nseeds: [1, 2]\nsearch:\n  samples: 6\n  seed: 3\n"
            + "  method: \(method)\n  startup: 2\n" + warmStart
            + "  space:\n    learning_rate: {log_uniform: [0.001, 0.1]}\n    dropout: {uniform: [0.0, 0.5]}\n"
    }

    static func message(_ yaml: String) -> String? {
        do {
            _ = try ExperimentFile.parse(yaml: yaml, path: "t.yaml")
            return nil
        } catch {
            return "\(error.position.line):\(error.position.column): \(error.message)"
        }
    }

    @Test func theListIsReadWithPositionsAndStoredOnlyWhenPresent() throws {
        let experiment = try ExperimentFile.parse(yaml: Self.yaml(), path: "t.yaml")
        let sources = try #require(experiment.search?.warmStart)
        #expect(sources.map(\.name) == ["a", "c"])
        #expect(sources.map(\.position.description) == ["12:16", "12:19"])
        #expect(experiment.resolvedContent.contains(#""warm_start":["a","c"]"#))
        #expect(!experiment.resolvedContent.contains("warm_start_trials"))
        #expect(
            experiment.resolvedContent(warmStartTrials: ["t1", "t2"]).contains(#""warm_start_trials":["t1","t2"]"#))
        // Without the key the stored definition is what it was before warm starts existed.
        let plain = try ExperimentFile.parse(yaml: Self.yaml(warmStart: ""), path: "t.yaml")
        #expect(plain.search?.warmStart == [])
        #expect(!plain.resolvedContent.contains("warm_start"))
        #expect(plain.resolvedContent(warmStartTrials: ["t1"]) == plain.resolvedContent)
    }

    @Test func mistakesAreReportedWithTheirPosition() {
        #expect(
            Self.message(Self.yaml(warmStart: "  warm_start: [a, a]\n"))
                == "12:19: search: warm_start: sweep 'a' is listed twice")
        #expect(
            Self.message(Self.yaml(warmStart: "  warm_start: [a, b]\n"))
                == "12:19: search: warm_start: 'b' is this sweep; name earlier sweeps")
        #expect(
            Self.message(
                Self.yaml(warmStart: "  warm_start: [a, c]\n", method: "random").replacingOccurrences(
                    of: "  startup: 2\n", with: ""))
                == "11:3: search: warm_start: only with 'method: tpe' (earlier results seed the model-based sampler; "
                + "random search learns from none)")
        #expect(
            Self.message(Self.yaml(warmStart: "  warm_start: []\n"))
                == "12:15: search: warm_start: expected a list of earlier sweeps' names, e.g. [sweep-a]")
        #expect(
            Self.message(Self.yaml(warmStart: "  warm_start: a\n"))
                == "12:15: search: warm_start: expected a list of earlier sweeps' names, e.g. [sweep-a]")
        #expect(
            Self.message(Self.yaml(warmStart: "  warm_start: [../x]\n"))?.hasPrefix("12:16: search: warm_start: '../x'")
                == true)
    }

    // MARK: Matching on a real database

    /// A trial of an earlier sweep: the parameters the file would give, with the data's fingerprint.
    static func trial(
        ordinal: Int, gridPoint: Int, learningRate: Double, dropout: Double, epochs: Int = 3, seed: Int,
        data: String
    ) throws -> TrialSpec {
        var trial = TrialSpec(
            ordinal: ordinal,
            parameters: try TrainingParameters.resolve([
                "dataset": .string("sum-sign"), "validation_split": .double(0.25), "epochs": .int(epochs),
                "seed": .int(seed),
                "learning_rate": .double(learningRate), "dropout": .double(dropout),
            ]), gridPoint: gridPoint)
        trial.assignData(data)
        return trial
    }

    /// Registers `trials` as sweep `name`; those with an accuracy complete with it at every epoch.
    static func register(
        _ store: MetricsStore, _ name: String, _ trials: [(TrialSpec, Double?)], experimentJSON: String = "{}"
    ) throws {
        let sweep = try store.registerSweep(
            name: name, description: nil, experimentPath: "\(name).yaml", experimentJSON: experimentJSON,
            varyingKeys: ["learning_rate", "dropout"])
        try store.registerTrials(sweep: sweep, trials: trials.map { NewTrial($0.0) })
        for (trial, accuracy) in trials {
            guard let accuracy else { continue }
            try store.markStarted(sweep: sweep, trial: trial.id, pid: nil)
            for epoch in 1...trial.parameters.int("epochs") {
                try store.recordEpoch(
                    sweep: sweep, trial: trial.id,
                    EpochMetrics(
                        epoch: epoch, train: [.loss: 1],
                        validation: [.accuracy: accuracy - 0.1 * Double(trial.parameters.int("epochs") - epoch)]))
            }
            try store.markCompleted(sweep: sweep, trial: trial.id, test: [.accuracy: accuracy], seconds: 1)
        }
    }

    /// Sweep `a` (the same data): two matching configurations, one with other epochs, one outside the space, one
    /// unfinished; sweep `c` (other data).
    static func database(_ directory: StoreTemporaryDirectory) throws -> (URL, Experiment, [TrialSpec]) {
        let url = directory.file("results.sqlite")
        let store = try MetricsStore.create(at: url)
        try register(
            store, "a",
            [
                (try trial(ordinal: 1, gridPoint: 1, learningRate: 0.01, dropout: 0.1, seed: 1, data: "fpA"), 0.8),
                (try trial(ordinal: 2, gridPoint: 1, learningRate: 0.01, dropout: 0.1, seed: 2, data: "fpA"), 0.9),
                (try trial(ordinal: 3, gridPoint: 2, learningRate: 0.002, dropout: 0.3, seed: 1, data: "fpA"), 0.6),
                (try trial(ordinal: 4, gridPoint: 2, learningRate: 0.002, dropout: 0.3, seed: 2, data: "fpA"), 0.7),
                (
                    try trial(
                        ordinal: 5, gridPoint: 3, learningRate: 0.01, dropout: 0.2, epochs: 5, seed: 1, data: "fpA"),
                    0.95
                ),
                (
                    try trial(
                        ordinal: 6, gridPoint: 3, learningRate: 0.01, dropout: 0.2, epochs: 5, seed: 2, data: "fpA"),
                    0.95
                ),
                (try trial(ordinal: 7, gridPoint: 4, learningRate: 0.5, dropout: 0.1, seed: 1, data: "fpA"), 0.5),
                (try trial(ordinal: 8, gridPoint: 5, learningRate: 0.003, dropout: 0.1, seed: 1, data: "fpA"), nil),
            ])
        try register(
            store, "c",
            [
                (try trial(ordinal: 1, gridPoint: 1, learningRate: 0.01, dropout: 0.1, seed: 1, data: "fpB"), 0.99),
                (try trial(ordinal: 2, gridPoint: 1, learningRate: 0.01, dropout: 0.1, seed: 2, data: "fpB"), 0.99),
            ])
        let experiment = try ExperimentFile.parse(yaml: yaml(), path: "b.yaml")
        let trials = try GridExpander.expand(experiment).trials.map { trial in
            var trial = trial
            trial.assignData("fpA")
            return trial
        }
        return (url, experiment, trials)
    }

    @Test func onlyCompletedTrialsOfTheSameDataAndFixedParametersInTheSpaceAreTaken() throws {
        let directory = try StoreTemporaryDirectory()
        let (url, experiment, trials) = try Self.database(directory)
        let warm = try #require(try WarmStart.load(database: url, experiment: experiment, trials: trials))
        #expect(
            warm.observations == [
                .init(
                    configuration: ["learning_rate": .double(0.01), "dropout": .double(0.1)], value: (0.8 + 0.9) / 2),
                .init(
                    configuration: ["learning_rate": .double(0.002), "dropout": .double(0.3)], value: (0.6 + 0.7) / 2),
            ])
        let used = try [(0.01, 0.1, 1), (0.01, 0.1, 2), (0.002, 0.3, 1), (0.002, 0.3, 2)].map { lr, d, s in
            try Self.trial(ordinal: 0, gridPoint: 0, learningRate: lr, dropout: d, seed: s, data: "fpA").id
        }
        #expect(warm.usedTrials == used)
        #expect(
            warm.lines == [
                "warm start: 2 configurations (4 trials) of sweep a; 4 skipped: epochs: 5 vs 3 (2), learning_rate "
                    + "outside this space (1), not completed (pending) (1)",
                "warm start: 0 configurations (0 trials) of sweep c; 2 skipped: data differs (2)",
                "warm start: 2 results seed TPE before this sweep's own; the random start-up stays 2 samples (set "
                    + "startup: lower to propose from the warm start sooner)",
            ])
        // Read-only: the database still has two sweeps, and this one is not registered.
        #expect(try MetricsStore.openExisting(at: url).sweeps().map(\.name) == ["a", "c"])
    }

    @Test func aConfigurationARungStoppedCountsAsPrunedAtTheEpochItReached() throws {
        let directory = try StoreTemporaryDirectory()
        let url = directory.file("results.sqlite")
        let store = try MetricsStore.create(at: url)
        let trials = try [1, 2].map { seed in
            try Self.trial(ordinal: seed, gridPoint: 1, learningRate: 0.02, dropout: 0.25, seed: seed, data: "fpA")
        }
        try Self.register(store, "h", trials.map { ($0, nil) })
        let h = try #require(try store.sweep(named: "h")).id
        for (trial, accuracy) in zip(trials, [0.4, 0.5]) {
            try store.markStarted(sweep: h, trial: trial.id, pid: nil)
            try store.recordEpoch(
                sweep: h, trial: trial.id, EpochMetrics(epoch: 1, train: [.loss: 1], validation: [.accuracy: accuracy]))
            try store.write(sweep: h) { try $0.markPaused(trial: trial.id) }
        }
        try store.write(sweep: h) { transaction in
            try transaction.recordRung(
                [
                    RungRow(
                        rule: "successive_halving", rung: 0, epoch: 1, gridPoint: 1, metricName: "val_accuracy",
                        metric: 0.45, rank: 2, promoted: false)
                ], stopping: trials.map(\.id))
        }
        let experiment = try ExperimentFile.parse(yaml: Self.yaml(warmStart: "  warm_start: [h]\n"), path: "b.yaml")
        let own = try GridExpander.expand(experiment).trials.map { trial in
            var trial = trial
            trial.assignData("fpA")
            return trial
        }
        let warm = try #require(try WarmStart.load(database: url, experiment: experiment, trials: own))
        #expect(
            warm.observations == [
                .init(
                    configuration: ["learning_rate": .double(0.02), "dropout": .double(0.25)], value: (0.4 + 0.5) / 2,
                    stoppedAt: 1)
            ])
        #expect(warm.summaries.map(\.line) == ["warm start: 1 configuration (2 trials) of sweep h"])
    }

    @Test func aTrialFromBeforeDataFingerprintsAtTheSameLocationReadsTheSameData() throws {
        let directory = try StoreTemporaryDirectory()
        let url = directory.file("results.sqlite")
        let store = try MetricsStore.create(at: url)
        // No fingerprint recorded, and no data_dir (the default location), as this sweep's trials.
        let old = try [1, 2].map { seed in
            TrialSpec(
                ordinal: seed,
                parameters: try TrainingParameters.resolve([
                    "dataset": .string("sum-sign"), "validation_split": .double(0.25), "epochs": .int(3),
                    "seed": .int(seed),
                    "learning_rate": .double(0.02), "dropout": .double(0.25),
                ]), gridPoint: 1)
        }
        #expect(old.allSatisfy { $0.dataFingerprint == nil })
        try Self.register(store, "old", zip(old, [0.7, 0.8]).map { ($0, $1) })
        let experiment = try ExperimentFile.parse(yaml: Self.yaml(warmStart: "  warm_start: [old]\n"), path: "b.yaml")
        let own = try GridExpander.expand(experiment).trials.map { trial in
            var trial = trial
            trial.assignData("fpA")
            return trial
        }
        let warm = try #require(try WarmStart.load(database: url, experiment: experiment, trials: own))
        #expect(warm.usedTrials == old.map(\.id))
        #expect(warm.summaries.map(\.line) == ["warm start: 1 configuration (2 trials) of sweep old"])
    }

    @Test func anUnknownSweepIsAnErrorBeforeAnythingRuns() throws {
        let directory = try StoreTemporaryDirectory()
        let (url, _, trials) = try Self.database(directory)
        let experiment = try ExperimentFile.parse(
            yaml: Self.yaml(warmStart: "  warm_start: [a, zz]\n"), path: "b.yaml")
        #expect(throws: WarmStartError.self) {
            try WarmStart.load(database: url, experiment: experiment, trials: trials)
        }
        do {
            _ = try WarmStart.load(database: url, experiment: experiment, trials: trials)
        } catch {
            #expect(
                error.description
                    == "b.yaml:12:19: search: warm_start: no sweep named 'zz' in \(url.path) (its sweeps: a, c)")
        }
        let missing = directory.file("none.sqlite")
        #expect(throws: WarmStartError.self) {
            try WarmStart.load(database: missing, experiment: experiment, trials: trials)
        }
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test func aResumedRunTakesTheTrialsItsFirstRunStored() throws {
        let directory = try StoreTemporaryDirectory()
        let (url, experiment, trials) = try Self.database(directory)
        let first = try #require(try WarmStart.load(database: url, experiment: experiment, trials: trials))
        let store = try MetricsStore.create(at: url)
        try Self.register(
            store, "b", trials.map { ($0, nil) },
            experimentJSON: experiment.resolvedContent(warmStartTrials: first.usedTrials))
        // Sweep a gains a matching configuration after b first ran: b's resumed run does not take it.
        let a = try #require(try store.sweep(named: "a")).id
        let later = try Self.trial(ordinal: 9, gridPoint: 6, learningRate: 0.05, dropout: 0.4, seed: 1, data: "fpA")
        try store.registerTrials(sweep: a, trials: [NewTrial(later)], superseding: nil)
        try store.markStarted(sweep: a, trial: later.id, pid: nil)
        try store.recordEpoch(
            sweep: a, trial: later.id, EpochMetrics(epoch: 3, train: [.loss: 1], validation: [.accuracy: 0.97]))
        try store.markCompleted(sweep: a, trial: later.id, test: [.accuracy: 0.97], seconds: 1)

        let resumed = try #require(try WarmStart.load(database: url, experiment: experiment, trials: trials))
        #expect(resumed.observations == first.observations)
        #expect(resumed.usedTrials == first.usedTrials)
        #expect(
            resumed.summaries[0].skipped.contains {
                $0.reason == "not used when this sweep first ran" && $0.trials == 1
            },
            "\(resumed.lines)")
        // A fresh sweep with the same file would take it.
        let fresh = WarmStart.Stored(experimentJSON: experiment.resolvedContent)
        #expect(fresh == nil)
    }

    // MARK: The scheduler

    typealias Sim = TPESchedulerTests

    static func warmObservations() -> [TPESampler.Observation] {
        // Good results near learning rate 3e-3 and no dropout (the simulated optimum), poor ones elsewhere.
        [
            (0.003, 0.02, "gru", 0.93), (0.004, 0.05, "gru", 0.92), (0.1, 0.45, "lstm", 0.5),
            (0.0002, 0.4, "lstm", 0.55), (0.05, 0.3, "gru", 0.6), (0.0005, 0.2, "lstm", 0.7),
        ].map { lr, dropout, cell, value in
            TPESampler.Observation(
                configuration: [
                    "learning_rate": .double(lr), "dropout": .double(dropout), "cell": .string(cell),
                ], value: value)
        }
    }

    static func run(warm: [TPESampler.Observation], workers: Int, order: UInt64, interruptAfter: Int? = nil) throws
        -> Sim.Sweep
    {
        let space = Sim.space(batch: 2)
        var sweep = try Sim.Sweep(space: space)
        func scheduler(_ sweep: Sim.Sweep) -> TPEScheduler<Sim.MiniRung> {
            var facts = sweep.facts
            facts.warmStart = warm
            return TPEScheduler(
                inner: Sim.MiniRung(rungEpoch: nil, facts: facts), space: space, metric: .valAccuracy, facts: facts,
                make: Sim.make)
        }
        var first = scheduler(sweep)
        if let interruptAfter {
            sweep.run(&first, workers: workers, order: order, generations: interruptAfter)
            for (id, status) in sweep.status where status == .running { sweep.status[id] = .interrupted }
            sweep.epochs = sweep.epochs.filter { sweep.status[$0.key] != .interrupted }
            var second = scheduler(sweep)
            sweep.run(&second, workers: workers + 1, order: order + 1)
            #expect(second.isFinished)
        } else {
            sweep.run(&first, workers: workers, order: order)
            #expect(first.isFinished)
        }
        return sweep
    }

    @Test func aWarmStartChangesTheProposalsDeterministically() throws {
        let cold = try Self.run(warm: [], workers: 2, order: 1)
        let warm = try Self.run(warm: Self.warmObservations(), workers: 2, order: 1)
        // The start-up samples are the file's, the same with or without a warm start.
        #expect(Array(warm.trials.prefix(8)) == Array(cold.trials.prefix(8)))
        #expect(warm.trials.count == cold.trials.count)
        #expect(warm.trials != cold.trials)
        #expect(warm.reasons.first == "TPE generation 1 from 10 results (6 of them from the warm start)")
        #expect(cold.reasons.first == "TPE generation 1 from 4 results")
        // No warm-start configuration is proposed again.
        let warmConfigurations = Set(Self.warmObservations().map(\.configuration))
        #expect(
            warm.trials.allSatisfy {
                !warmConfigurations.contains(TPEScheduler<Sim.MiniRung>.configuration($0, Sim.space(batch: 2)))
            })
        // Any worker count and arrival order, and a resumed run, give the same trials.
        for (workers, order, interrupt) in [(1, UInt64(0), nil), (4, 9, nil), (2, 5, 2), (3, 7, 1)]
            as [(Int, UInt64, Int?)]
        {
            let other = try Self.run(
                warm: Self.warmObservations(), workers: workers, order: order, interruptAfter: interrupt)
            #expect(other.trials == warm.trials)
            #expect(other.reasons == warm.reasons)
        }
    }
}
