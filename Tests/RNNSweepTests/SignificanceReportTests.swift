import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The marks of "which differences are real" in the built table and in every format.
@Suite("Report significance marks")
struct SignificanceReportTests {
    /// A sweep of one varying key `units` (rows 1, 2, 3, …) whose row `r` has the test accuracies `tests[r]`, one
    /// completed trial each (seeds 1, 2, …); `failedRows` get one extra failed seed. With `confusion`, every completed
    /// trial records it as its test confusion matrix (the test set's class counts are its row sums).
    static func table(
        _ tests: [[Double]], failedRows: Set<Int> = [], options: ReportOptions = ReportOptions(),
        confusion: [[Int]]? = nil
    ) throws -> ReportTable {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("s.sqlite"))
        let sweep = try store.registerSweep(
            name: "sig", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: ["units"])
        var trials: [(NewTrial, Double?)] = []
        for (row, values) in tests.enumerated() {
            let outcomes = values.map { Optional($0) } + (failedRows.contains(row) ? [nil] : [])
            for (index, value) in outcomes.enumerated() {
                let id = storeHexID("r\(row)s\(index)")
                let params: [String: Any] = ["units": row + 1, "seed": index + 1, "dataset": "parity"]
                let trial = NewTrial(
                    id: id, ordinal: trials.count, gridPoint: row, seed: index + 1, paramsJSON: storeParamsJSON(params))
                trials.append((trial, value))
            }
        }
        try store.registerTrials(sweep: sweep, trials: trials.map(\.0))
        for (trial, value) in trials {
            try store.markStarted(sweep: sweep, trial: trial.id, pid: nil)
            try store.recordEpoch(sweep: sweep, trial: trial.id, EpochMetrics(epoch: 1, loss: 0.5, accuracy: 0.5))
            if let value {
                try store.write(sweep: sweep) {
                    try $0.markCompleted(
                        trial: trial.id, test: [.loss: 0.5, .accuracy: value], seconds: 1, confusion: confusion)
                }
            } else {
                try store.markFailed(sweep: sweep, trial: trial.id, status: .failed, error: "boom")
            }
        }
        return try ReportBuilder(options: options).build(store: store, sweepName: "sig")
    }

    @Test func theReadmeRowsTieAndAClearLoserDoesNot() throws {
        // 90.78 ± 0.35 (best) against 90.70 ± 0.08 and 85.51 ± 0.26 (3 seeds each).
        let table = try Self.table([
            [0.9043, 0.9078, 0.9113], [0.9062, 0.9070, 0.9078], [0.8525, 0.8551, 0.8577],
        ])
        #expect(
            table.significance
                == SignificanceSummary(metric: .testAccuracy, outcome: .tested(comparisons: 2, notCompared: 0)))
        #expect(table.rows[0].versusBest == .best)
        let tied = try #require(table.rows[1].versusBest.pValue)
        #expect(table.rows[1].versusBest == .tied(p: tied) && tied > 0.05)
        // Holm: the smaller raw p is doubled, the larger is max(that, itself).
        let rawClose = WelchTest([0.9062, 0.9070, 0.9078], [0.9043, 0.9078, 0.9113])!.pValue
        let rawFar = WelchTest([0.8525, 0.8551, 0.8577], [0.9043, 0.9078, 0.9113])!.pValue
        #expect(tied == max(2 * rawFar, rawClose))
        #expect(table.rows[2].versusBest == .different(p: min(1, 2 * rawFar)))
        // Bold for the best row only: the tie reads ≈ with its interval, the loser ▼ with its p.
        #expect((0..<3).map { table.isMarkedBest(row: $0, metric: .testAccuracy) } == [true, false, false])
        let interval = WelchTest([0.9062, 0.9070, 0.9078], [0.9043, 0.9078, 0.9113])!.confidenceInterval()
        let contrast = try #require(table.rows[1].contrast)
        #expect(contrast.low == interval.low && contrast.high == interval.high)
        #expect(table.rows[0].contrast == nil && table.rows[2].contrast != nil)

        let markdown = MarkdownRenderer().render(table)
        #expect(markdown.contains("| **90.78 ± 0.35** | ★ best "), "\(markdown)")
        // SciPy's interval is [−0.8959, +0.7359] points; statsmodels' n for d = 0.3151 is 159.05, so 160.
        #expect(markdown.contains("|     90.70 ± 0.08 | ≈ −0.08 [−0.90, +0.74] "), "\(markdown)")
        #expect(markdown.contains("|     85.51 ± 0.26 | ▼ p = " + ReportTable.pText(min(1, 2 * rawFar))), "\(markdown)")
        #expect(markdown.contains("Holm's correction over 2 comparisons, adjusted p ≤ α = 0.05."))
        let seeds = try #require(contrast.seedsFor80Power)
        #expect(seeds == 160)
        #expect(markdown.contains("(Units 2: −0.08 points) would need \(seeds) seeds per row"), "\(markdown)")

        let csv = parseReportCSV(CSVRenderer().render(table))
        #expect(csv[0].suffix(2) == ["p_vs_best", "tied_with_best"])
        // The contrast: difference and interval as fractions; seeds only for the unresolved row; no chance known.
        #expect(Array(csv[0].suffix(7).prefix(5)) == BestContrast.fieldNames)
        #expect(Array(csv[1].suffix(7).prefix(5)) == ["", "", "", "", ""])
        #expect(
            csv[2].suffix(7).prefix(5) == [
                String(contrast.difference), String(contrast.low), String(contrast.high), String(seeds), "",
            ])
        #expect(csv[3].suffix(7)[csv[3].count - 4] == "")
        #expect(csv[1].suffix(2) == ["", "true"])
        #expect(csv[2].suffix(2) == [String(tied), "true"])
        #expect(csv[3].last == "false" && Double(csv[3][csv[3].count - 2]) == table.rows[2].versusBest.pValue)

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try JSONRenderer().render(table).utf8)) as? [[String: Any]])
        #expect(json[0]["p_vs_best"] is NSNull && json[0]["tied_with_best"] as? Bool == true)
        #expect(json[1]["p_vs_best"] as? Double == tied && json[1]["tied_with_best"] as? Bool == true)
        #expect(json[2]["tied_with_best"] as? Bool == false)
        #expect(json[1]["seeds_for_80_power"] as? Int == seeds && json[2]["seeds_for_80_power"] is NSNull)
        #expect(json[1]["ci95_low"] as? Double == contrast.low && json[0]["diff_vs_best"] is NSNull)
    }

    @Test func rowsAtChanceAreMarked() throws {
        // The test set: 60 of 100 examples in class 0, so chance is 60 %; a row at most 1 point above it is at chance.
        let confusion = [[60, 0], [40, 0]]
        let table = try Self.table(
            [[0.60, 0.605], [0.80, 0.82], [0.61, 0.62]], confusion: confusion)
        #expect(table.rows.map(\.chanceLevel) == [0.6, 0.6, 0.6])
        #expect(table.rows.indices.map { table.isAtChance(row: $0) } == [true, false, false])
        #expect(table.marksText(row: 0).hasSuffix(", at chance"))
        #expect(table.marksText(row: 1) == "★ best")
        let markdown = MarkdownRenderer().render(table)
        #expect(
            markdown.contains(
                "At chance: a mean test accuracy not more than 1 percentage point above the "
                    + "majority-class rate of the test set (60.00 %)"), "\(markdown)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try JSONRenderer().render(table).utf8)) as? [[String: Any]])
        #expect(json.map { $0["at_chance"] as? Bool } == [true, false, false])
        // One seed per row: nothing is tested, but chance is still marked.
        let single = try Self.table([[0.6], [0.9]], confusion: confusion)
        #expect(single.showsMarks && single.marksText(row: 0) == "at chance" && single.marksText(row: 1) == "")
        // Without recorded confusion matrices the chance is unknown: no mark, and `at_chance` is null.
        let unknown = try Self.table([[0.60, 0.605], [0.80, 0.82]])
        #expect(!unknown.isAtChance(row: 0))
        #expect(parseReportCSV(CSVRenderer().render(unknown))[1].suffix(3).first == "")
    }

    @Test func rowsWithOneSeedAreNotComparedNorMarked() throws {
        // Row 1 has the highest single value but only one seed; row 2 has one seed and one failed seed.
        let table = try Self.table([[0.80, 0.82, 0.81], [0.99], [0.70], [0.70, 0.71]], failedRows: [2])
        #expect(table.significance?.outcome == .tested(comparisons: 1, notCompared: 2))
        #expect(table.rows.map(\.versusBest.isTiedWithBest) == [true, nil, nil, false])
        #expect(!table.isMarkedBest(row: 1, metric: .testAccuracy))
        let markdown = MarkdownRenderer().render(table)
        #expect(markdown.contains("|            99.00 |"), "not bold although highest: \(markdown)")
        #expect(markdown.contains("2 rows have fewer than 2 completed seeds and are not compared."))
        let csv = parseReportCSV(CSVRenderer().render(table))
        #expect(csv[2].suffix(2) == ["", ""] && csv[3].suffix(2) == ["", ""])
    }

    @Test func zeroVarianceTiesOnlyWithAnEqualMean() throws {
        // Identical seeds everywhere (exact binary fractions, so the variances are exactly 0).
        let table = try Self.table([[0.75, 0.75], [0.75, 0.75, 0.75], [0.5, 0.5]])
        #expect(table.rows.map(\.versusBest) == [.best, .tied(p: 1), .different(p: 0)])
        // One zero-variance row against a noisy best: an ordinary Welch test on the best's n − 1.
        let mixed = try Self.table([[0.80, 0.90, 0.85], [0.75, 0.75]])
        #expect(mixed.rows[1].versusBest == .tied(p: WelchTest([0.75, 0.75], [0.80, 0.90, 0.85])!.pValue))
    }

    @Test func oneSeedPerRowCannotTell() throws {
        let table = try Self.table([[0.80], [0.90], [0.85]])
        #expect(table.significance?.outcome == .oneSeedPerRow)
        #expect(table.rows.allSatisfy { $0.versusBest == .notCompared })
        let markdown = MarkdownRenderer().render(table)
        // Only the plain best is bold, and the caption names no test.
        #expect(markdown.contains("**90.00**") && !markdown.contains("**80.00**") && !markdown.contains("**85.00**"))
        #expect(!markdown.contains("Welch's t-test\n") && !markdown.contains("compared with the best row"))
        #expect(markdown.hasSuffix("bold marks only the best value.\n"))
        #expect(parseReportCSV(CSVRenderer().render(table)).dropFirst().allSatisfy { $0.suffix(2) == ["", ""] })

        let single = try Self.table([[0.80, 0.81], [0.90]])
        #expect(single.significance?.outcome == .oneReplicatedRow)
        #expect(MarkdownRenderer().render(single).contains("Only one row has 2 or more completed seeds"))
        #expect(try Self.table([[0.8, 0.9]]).significance?.footnote == nil)
    }

    @Test func theSortMetricIsTheComparedOne() throws {
        let options = ReportOptions(metrics: [.trainLoss, .testAccuracy], sort: .trainLoss)
        let table = try Self.table([[0.80, 0.81], [0.90, 0.91]], options: options)
        #expect(table.significance?.metric == .trainLoss)
        // Every train loss is 0.5: equal means with zero variance tie.
        #expect(table.rows.map(\.versusBest) == [.best, .tied(p: 1)])
        let markdown = MarkdownRenderer().render(table)
        #expect(markdown.contains("★ best (bold): the best train loss among the rows"))
        // Equal means without spread: the difference is exactly 0, and no number of seeds would detect it.
        #expect(
            table.rows[1].contrast?.seedsFor80Power == nil && table.marksText(row: 1).hasPrefix("≈ 0.0000 [0.0000,"))
        #expect(markdown.contains("**90.50 ± 0.71**"), "test accuracy keeps the plain best: \(markdown)")
        #expect(SignificanceSummary.comparedMetric(sort: .epochs, metrics: [.epochs, .seconds]) == .seconds)
        #expect(SignificanceSummary.comparedMetric(sort: .testLoss, metrics: [.testAccuracy]) == .testAccuracy)
        #expect(SignificanceSummary.comparedMetric(sort: nil, metrics: [.epochs, .bestEpoch]) == nil)
    }
}
