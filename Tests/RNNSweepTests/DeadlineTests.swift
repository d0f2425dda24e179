import Foundation
import Testing

@testable import RNNSweep

/// `--budget` / `--until` and the file's `budget:` / `until:`: parsing, errors with positions, the instant a run
/// ends by, and the fit rule as a pure function of the cost model and the clock.
@Suite struct DeadlineTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
    /// 2026-12-07T14:00:00Z.
    static let afternoon = Date(timeIntervalSince1970: 1_796_652_000)

    @Test(arguments: [("90s", 90.0), ("45m", 2700), ("6h", 21600), ("1h30m", 5400), ("1h0m5s", 3605), (" 2m ", 120)])
    func budgets(text: String, seconds: Double) throws {
        #expect(try DeadlineSpec.budget(text) == .budget(seconds: seconds))
    }

    @Test(arguments: ["", "5", "h", "30m1h", "1h1h", "1.5h", "6 h", "-1h", "1d"])
    func malformedBudgets(text: String) {
        #expect(throws: DeadlineSpec.ParseError(message: "'\(text)' is not a duration such as 90s, 45m, 6h or 1h30m")) {
            try DeadlineSpec.budget(text)
        }
    }

    @Test func zeroBudgetIsRefused() {
        #expect(throws: DeadlineSpec.ParseError(message: "'0h0m' is zero: nothing could start")) {
            try DeadlineSpec.budget("0h0m")
        }
    }

    @Test func untilIsTheNextSuchLocalTime() throws {
        let morning = try DeadlineSpec.until("07:00", now: Self.afternoon, calendar: Self.utc)
        #expect(morning == .timeOfDay(hour: 7, minute: 0))
        #expect(
            morning.instant(start: Self.afternoon, calendar: Self.utc) == Self.afternoon.addingTimeInterval(17 * 3600))
        let later = try DeadlineSpec.until("15:30", now: Self.afternoon, calendar: Self.utc)
        #expect(later.instant(start: Self.afternoon, calendar: Self.utc) == Self.afternoon.addingTimeInterval(5400))
        #expect(morning.label == "07:00")
    }

    @Test func untilTakesAFullLocalDateAndRefusesAPastOne() throws {
        let future = try DeadlineSpec.until("2026-12-07T16:00", now: Self.afternoon, calendar: Self.utc)
        #expect(future.instant(start: Self.afternoon, calendar: Self.utc) == Self.afternoon.addingTimeInterval(7200))
        #expect(throws: DeadlineSpec.ParseError(message: "'2026-12-07T13:59' is in the past")) {
            try DeadlineSpec.until("2026-12-07T13:59", now: Self.afternoon, calendar: Self.utc)
        }
    }

    @Test(arguments: ["24:00", "7:5", "07:60", "7", "tomorrow", "07-00"])
    func malformedTimes(text: String) {
        #expect(
            throws: DeadlineSpec.ParseError(
                message: "'\(text)' is not a local time HH:MM (e.g. 07:00) or YYYY-MM-DDTHH:MM")
        ) {
            try DeadlineSpec.until(text, now: Self.afternoon, calendar: Self.utc)
        }
    }

    @Test func budgetInstantCountsFromTheStart() throws {
        #expect(
            try DeadlineSpec.budget("1h30m").instant(start: Self.afternoon) == Self.afternoon.addingTimeInterval(5400))
    }

    // MARK: - The experiment file

    @Test func fileTakesBudgetOrUntil() throws {
        let budget = try ExperimentFile.parse(yaml: "name: x\nbudget: 45m\ngrid: {units: 8}\n", path: "e.yaml")
        #expect(budget.deadline == .budget(seconds: 2700))
        let until = try ExperimentFile.parse(yaml: "name: x\nuntil: 07:00\ngrid: {units: 8}\n", path: "e.yaml")
        #expect(until.deadline == .timeOfDay(hour: 7, minute: 0))
        // Not part of the experiment's identity: when a run ends changes no result.
        let none = try ExperimentFile.parse(yaml: "name: x\ngrid: {units: 8}\n", path: "e.yaml")
        #expect(budget.resolvedContent == none.resolvedContent)
    }

    @Test(arguments: [
        ("name: x\nbudget: 0s\ngrid: {units: 8}\n", "e.yaml:2:9: budget: '0s' is zero: nothing could start"),
        (
            "name: x\ngrid: {units: 8}\nuntil: soon\n",
            "e.yaml:3:8: until: 'soon' is not a local time HH:MM (e.g. 07:00) or YYYY-MM-DDTHH:MM"
        ),
        (
            "name: x\nbudget: 1h\nuntil: 07:00\ngrid: {units: 8}\n",
            "e.yaml:3:1: give either budget: or until:, not both"
        ),
        ("name: x\nbudget: [1h]\ngrid: {units: 8}\n", "e.yaml:2:9: budget: expected a single text value"),
    ])
    func fileErrorsHavePositions(yaml: String, message: String) {
        do {
            _ = try ExperimentFile.parse(yaml: yaml, path: "e.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description == message)
        }
    }

    // MARK: - The fit rule

    @Test func runsFitInOrderOnTheFirstFreeWorker() {
        // 50 s does not fit in 30 and holds no worker: the shorter runs after it still do.
        #expect(
            DeadlineFit.fits(costs: [10, 50, 10, 10, 15, 15], free: [0, 0], left: 30)
                == [true, false, true, true, true, false])
        // A busy worker is free later.
        #expect(DeadlineFit.fits(costs: [10, 25], free: [25, 0], left: 30) == [true, false])
        // Exactly at the deadline fits.
        #expect(DeadlineFit.fits(costs: [30], free: [0], left: 30) == [true])
        #expect(DeadlineFit.fits(costs: [1], free: [0], left: -1) == [false])
    }

    @Test func costIsOverheadPlusEpochsOfItsShape() throws {
        let trial = try Self.trial(epochs: 10)
        let cost = TrialCost(epochSeconds: [PlanEstimate.shape(trial.parameters): 2], overhead: 3)
        #expect(cost.seconds(trial.parameters, epochs: 10) == 23)
        #expect(cost.seconds(trial.parameters, epochs: 4) == 11)
        let byData = TrialCost(
            epochSeconds: [PlanEstimate.shape(trial.parameters): 2], overhead: 3,
            overheadByData: [TrialCost.dataKey(trial.parameters): 1])
        #expect(byData.seconds(trial.parameters, epochs: 10) == 21)
    }

    @Test func aRunStartsOnlyWhenItEndsBeforeTheDeadline() throws {
        let trial = try Self.trial(epochs: 10)
        let cost = TrialCost(epochSeconds: [PlanEstimate.shape(trial.parameters): 2], overhead: 3)
        var deadline = RunDeadline(
            instant: Self.afternoon.addingTimeInterval(60), label: "budget 1 min", cost: cost)
        // 23 s in the 60 s left.
        let now = deadline.admits(ScheduledRun(trial: trial, until: nil), done: 0, now: Self.afternoon)
        #expect(now)
        // 23 s in the 20 s left: no; to a rung at epoch 3 (9 s), yes; resumed at epoch 9 (5 s), yes.
        let late = Self.afternoon.addingTimeInterval(40)
        let whole = deadline.admits(ScheduledRun(trial: trial, until: nil), done: 0, now: late)
        let rung = deadline.admits(ScheduledRun(trial: trial, until: 3), done: 0, now: late)
        let resumed = deadline.admits(ScheduledRun(trial: trial, until: nil), done: 9, now: late)
        #expect(!whole && rung && resumed)
        #expect(deadline.refused == [trial.id])
        #expect(
            deadline.line(completed: 4, interrupted: 1, notStarted: 2)
                == "deadline budget 1 min: 4 trial(s) done, 1 interrupted, 2 not started (1 would not fit)")
    }

    @Test func theRunsOwnMeasurementsReplaceTheModel() throws {
        let trial = try Self.trial(epochs: 10)
        let cost = TrialCost(epochSeconds: [PlanEstimate.shape(trial.parameters): 2], overhead: 3)
        var deadline = RunDeadline(instant: Self.afternoon, label: "x", cost: cost)
        deadline.epoch(trial, seconds: 4)
        deadline.epoch(trial, seconds: 6)
        #expect(deadline.cost.epoch(trial.parameters) == 5)
        // 12 s from spawn to end, 10 of them epochs: 2 s of overhead.
        deadline.attemptEnded(trial, wall: 12)
        #expect(deadline.cost.overhead(trial.parameters) == 2)
        #expect(deadline.cost.seconds(trial.parameters, epochs: 10) == 52)
    }

    static func trial(epochs: Int) throws -> TrialSpec {
        let experiment = try ExperimentFile.parse(
            yaml: "name: x\ndataset: sum-sign\nsamples: 64\ndefaults: {epochs: \(epochs)}\ngrid: {units: 8}\n",
            path: "e.yaml")
        return try GridExpander.expand(experiment).trials[0]
    }
}
