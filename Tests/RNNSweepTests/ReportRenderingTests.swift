import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite("Report rendering")
struct ReportRenderingTests {
    @Test func bookShapeMarkdownGolden() throws {
        let table = try ReportFixture().table(ReportOptions(filters: [ReportFilter(key: "seed", value: "1")]))
        let expected = """
            Sweep book — dataset mnist, LSTM, batch 128, 3 epochs, 1 seed, metrics at the last epoch.

            | Units | Optimizer | Regularizer  | Train Accuracy, % | Test Accuracy, % |
            | ----: | :-------- | :----------- | ----------------: | ---------------: |
            |   128 | SGD       | Dropout(0.2) |             81.00 |            80.00 |
            |   128 | Adam      | Dropout(0.2) |             91.00 |            90.00 |
            |   256 | SGD       | Dropout(0.2) |             85.00 |            84.00 |
            |   256 | Adam      | Dropout(0.2) |         **97.00** |        **95.00** |

            One seed per row: the table cannot tell which differences are real (Welch's t-test needs at least 2 \
            seeds per row); bold marks only the best value.

            """
        #expect(MarkdownRenderer().render(table) == expected)
    }

    @Test func threeSeedsMarkdownGolden() throws {
        let expected = """
            Sweep book — dataset mnist, LSTM, batch 128, 3 epochs, 3 seeds, metrics at the last epoch, test accuracy \
            compared with the best row by Welch's t-test.

            | Units | Optimizer | Regularizer  | Train Accuracy, % | Test Accuracy, % | vs Best       |   n |
            | ----: | :-------- | :----------- | ----------------: | ---------------: | :------------ | --: |
            |   128 | SGD       | Dropout(0.2) |      82.00 ± 1.00 |     81.00 ± 1.00 | ▼ p = 0.0002  |   3 |
            |   128 | Adam      | Dropout(0.2) |      93.00 ± 2.00 |     91.00 ± 1.00 | ▼ p = 0.008   |   3 |
            |   256 | SGD       | Dropout(0.2) |      85.00 ± 1.00 |     84.00 ± 1.00 | ▼ p = 0.00035 |   3 |
            |   256 | Adam      | Dropout(0.2) |  **97.00 ± 1.00** | **95.00 ± 1.00** | ★ best        |   3 |

            ★ best (bold): the best test accuracy among the rows with 2 or more completed seeds. ▼: shown worse than \
            the best — Welch's two-sided t-test (Welch–Satterthwaite degrees of freedom) of each row against the \
            best, Holm's correction over 3 comparisons, adjusted p ≤ α = 0.05. ≈: the seeds cannot tell the row from \
            the best; its difference from the best (row − best, in percentage points) is given with its 95 % Welch \
            confidence interval, which is not adjusted for the number of comparisons (it can exclude 0 where Holm's \
            correction does not).

            """
        #expect(MarkdownRenderer().render(try ReportFixture().table()) == expected)
    }

    @Test func failedTrialsInMarkdown() throws {
        let fixture = try ReportFixture { point, seed in
            point == 1 && seed == 2 ? .failed : point == 2 ? .diverged : .completed
        }
        let expected = """
            Sweep book — dataset mnist, LSTM, batch 128, 3 epochs, 3 seeds, metrics at the last epoch, test accuracy \
            compared with the best row by Welch's t-test.

            | Units | Optimizer | Regularizer  | Train Accuracy, % | Test Accuracy, % | vs Best                |   n | Status                |
            | ----: | :-------- | :----------- | ----------------: | ---------------: | :--------------------- | --: | :-------------------- |
            |   128 | SGD       | Dropout(0.2) |      82.00 ± 1.00 |     81.00 ± 1.00 | ▼ p = 0.00014          |   3 | completed             |
            |   128 | Adam      | Dropout(0.2) |      92.00 ± 1.41 |     91.00 ± 1.41 | ≈ −4.00 [−9.98, +1.98] |   2 | failed (1 of 3 seeds) |
            |   256 | SGD       | Dropout(0.2) |          diverged |         diverged |                        |   0 | diverged              |
            |   256 | Adam      | Dropout(0.2) |  **97.00 ± 1.00** | **95.00 ± 1.00** | ★ best                 |   3 | completed             |

            ★ best (bold): the best test accuracy among the rows with 2 or more completed seeds. ▼: shown worse than \
            the best — Welch's two-sided t-test (Welch–Satterthwaite degrees of freedom) of each row against the \
            best, Holm's correction over 2 comparisons, adjusted p ≤ α = 0.05. ≈: the seeds cannot tell the row from \
            the best; its difference from the best (row − best, in percentage points) is given with its 95 % Welch \
            confidence interval, which is not adjusted for the number of comparisons (it can exclude 0 where Holm's \
            correction does not). 1 row has fewer than 2 completed seeds and is not compared. The closest unresolved \
            row (Units 128, Optimizer Adam, Regularizer Dropout(0.2): −4.00 points) would need 3 seeds per row for a \
            two-sided two-sample t-test at α = 0.05 to detect its difference with 80 % power (effect size \
            |difference| / pooled sd).

            """
        #expect(MarkdownRenderer().render(try fixture.table()) == expected)
    }

    @Test func bestEpochMarkdownAddsTheEpochColumn() throws {
        let text = MarkdownRenderer().render(try ReportFixture().table(ReportOptions(epoch: .best)))
        #expect(text.contains("best epoch (highest validation accuracy), test metrics at the last epoch"))
        // Test metrics are measured once, on the final model: the header says so.
        #expect(
            text.contains("| Train Accuracy, % | Test Accuracy (last epoch), % | Best Epoch | vs Best       |   n |"))
        #expect(
            text.contains("|      72.00 ± 1.00 |                  81.00 ± 1.00 |  2.0 ± 0.0 | ▼ p = 0.0002  |   3 |"))
    }

    @Test func csvRoundTripsTheStoredNumbersExactly() throws {
        let fixture = try ReportFixture()
        let single = try fixture.table(ReportOptions(filters: [ReportFilter(key: "seed", value: "3")]))
        let records = parseReportCSV(CSVRenderer().render(single))
        #expect(
            records[0] == [
                "units", "optimizer", "dropout", "train_accuracy_mean", "train_accuracy_std", "test_accuracy_mean",
                "test_accuracy_std", "n", "status", "diff_vs_best", "ci95_low", "ci95_high", "seeds_for_80_power",
                "at_chance", "p_vs_best", "tied_with_best",
            ])
        #expect(records.count == 5)
        for (point, record) in records.dropFirst().enumerated() {
            #expect(Double(record[3]) == ReportFixture.lastTrain[point][2])
            #expect(Double(record[5]) == ReportFixture.test[point][2])
            #expect(record[4] == "" && record[7] == "1" && record[8] == "completed")
        }
        #expect(records[1][0...2] == ["128", "sgd", "0.2"])

        let folded = parseReportCSV(CSVRenderer().render(try fixture.table()))
        let values = ReportFixture.lastTrain[1]
        #expect(Double(folded[2][3]) == (values[0] + values[1] + values[2]) / 3)
        #expect(Double(folded[2][4]) == SampleStatistics(values)!.standardDeviation)
        #expect(folded[2][7] == "3")
    }

    @Test func failedTrialsInCSVAndJSON() throws {
        let fixture = try ReportFixture { point, seed in
            point == 1 && seed == 2 ? .failed : point == 2 ? .diverged : .completed
        }
        let table = try fixture.table()
        let records = parseReportCSV(CSVRenderer().render(table))
        #expect(records[2][8] == "failed (1 of 3 seeds)")
        #expect(records[2][7] == "2")
        #expect(records[3][3...8] == ["", "", "", "", "0", "diverged"])

        let json = try JSONRenderer().render(table)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows[1]["status"] as? String == "failed (1 of 3 seeds)")
        #expect(rows[2]["status"] as? String == "diverged")
        #expect(rows[2]["train_accuracy_mean"] is NSNull)
        #expect(rows[0]["units"] as? Int == 128)
        #expect(rows[0]["optimizer"] as? String == "sgd")
        #expect(rows[0]["n"] as? Int == 3)
        #expect((rows[3]["test_accuracy_mean"] as? Double).map { abs($0 - 0.95) < 1e-12 } == true)
    }

    @Test func commasAndQuotesAreQuoted() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.registerSweep(
            name: "odd", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: ["note"])
        let note = "tanh, \"hard\"\nsigmoid"
        try store.registerTrials(
            sweep: sweep,
            trials: [
                NewTrial(
                    id: storeHexID("odd"), ordinal: 0, gridPoint: 0, seed: 1,
                    paramsJSON: storeParamsJSON(["note": note]))
            ])
        try store.markStarted(sweep: sweep, trial: storeHexID("odd"), pid: nil)
        try store.recordEpoch(sweep: sweep, trial: storeHexID("odd"), EpochMetrics(epoch: 1, loss: 0.5, accuracy: 0.5))
        try store.markCompleted(sweep: sweep, trial: storeHexID("odd"), testLoss: 0.5, testAccuracy: 0.25, seconds: 1)
        let csv = CSVRenderer().render(try ReportBuilder().build(store: store, sweepName: "odd"))
        #expect(csv.contains("\"tanh, \"\"hard\"\"\nsigmoid\",0.5,,0.25,,1,completed,,,,,,,\r\n"))
        let records = parseReportCSV(csv)
        #expect(records.count == 2)
        #expect(records[1][0] == note)
        #expect(CSVFormat.field("plain") == "plain")
        #expect(CSVFormat.field("a,b") == "\"a,b\"")
    }

    @Test func curvesAreLongFormat() throws {
        let fixture = try ReportFixture()
        let source = try ReportSource.load(store: fixture.store, sweepName: "book")
        let records = parseReportCSV(CurvesCSVRenderer().render(source))
        #expect(records[0] == ["sweep", "trial", "units", "optimizer", "seed", "epoch", "metric", "value"])
        // 12 trials × 3 epochs × (loss, accuracy, val_accuracy): val_loss was never recorded.
        #expect(records.count == 1 + 12 * 3 * 3)
        #expect(Set(records.dropFirst().map { $0[6] }) == ["loss", "accuracy", "val_accuracy"])
        let row = try #require(
            records.first { $0[1] == ReportFixture.trialID(1, 2) && $0[5] == "2" && $0[6] == "accuracy" })
        #expect(row[2...4] == ["128", "adam", "3"])
        #expect(Double(row[7]) == ReportFixture.train(1, 2, epoch: 2))
    }

    /// The chapter's cell comparison: `bidirectional` joins `cell` in one column written as Keras layers, and the
    /// settings the rows share (units, optimizer, learning rate, batch) move into the caption.
    @Test func cellComparisonMarkdownGolden() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("metrics.sqlite"))
        let sweep = try store.registerSweep(
            name: "cells", description: "", experimentPath: "cells.yaml",
            experimentJSON: #"{"name":"cells","dataset":"fashion-mnist"}"#, varyingKeys: ["cell", "bidirectional"])
        let points: [(cell: String, bidirectional: Bool, test: Double)] = [
            ("simple_rnn", false, 0.85), ("lstm", false, 0.89), ("gru", false, 0.88), ("lstm", true, 0.9),
        ]
        var trials: [NewTrial] = []
        for (point, p) in points.enumerated() {
            let params: [String: Any] = [
                "cell": p.cell, "bidirectional": p.bidirectional, "units": 256, "optimizer": "adam",
                "learning_rate": 0.001, "dropout": 0.2, "epochs": 1, "seed": 1, "batch_size": 128, "layers": 1,
                "dataset": "fashion-mnist",
            ]
            trials.append(
                NewTrial(
                    id: storeHexID("cells-\(point)"), ordinal: point, gridPoint: point, seed: 1,
                    paramsJSON: storeParamsJSON(params)))
        }
        try store.registerTrials(sweep: sweep, trials: trials)
        for (point, p) in points.enumerated() {
            let id = storeHexID("cells-\(point)")
            try store.markStarted(sweep: sweep, trial: id, pid: 1000)
            try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: 1, loss: 0.4, accuracy: p.test - 0.01))
            try store.markCompleted(sweep: sweep, trial: id, testLoss: 0.3, testAccuracy: p.test, seconds: 1)
        }
        let table = try ReportBuilder().build(store: store, sweepName: "cells")
        let expected = """
            Sweep cells — dataset fashion-mnist, 256 units, Adam (learning rate 0.001), batch 128, 1 epoch, 1 seed, \
            metrics at the last epoch.

            | Cell                | Regularizer  | Train Accuracy, % | Test Accuracy, % |
            | :------------------ | :----------- | ----------------: | ---------------: |
            | SimpleRNN           | Dropout(0.2) |             84.00 |            85.00 |
            | LSTM                | Dropout(0.2) |             88.00 |            89.00 |
            | GRU                 | Dropout(0.2) |             87.00 |            88.00 |
            | Bidirectional(LSTM) | Dropout(0.2) |         **89.00** |        **90.00** |

            One seed per row: the table cannot tell which differences are real (Welch's t-test needs at least 2 \
            seeds per row); bold marks only the best value.

            """
        #expect(MarkdownRenderer().render(table) == expected)
        // CSV keeps the raw keys and values.
        let records = parseReportCSV(CSVRenderer().render(table))
        #expect(records[0].prefix(3) == ["cell", "bidirectional", "dropout"])
        #expect(records[4].prefix(3) == ["lstm", "true", "0.2"])
    }

    /// The book's claim check: with `network` a row key, network, cell and bidirectional make one Network column,
    /// each row named by its kind's registry label (`MLP` has no cell; the recurrent rows are their cells).
    @Test func networkComparisonMarkdownGolden() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("metrics.sqlite"))
        let sweep = try store.registerSweep(
            name: "networks", description: "", experimentPath: "networks.yaml",
            experimentJSON: #"{"name":"networks","dataset":"fashion-mnist"}"#,
            varyingKeys: ["network", "layers", "dropout", "cell"])
        let common: [String: Any] = [
            "units": 256, "optimizer": "adam", "learning_rate": 0.001, "epochs": 1, "seed": 1, "batch_size": 128,
        ]
        let points: [(params: [String: Any], test: Double)] = [
            (["network": "mlp", "layers": 2, "dropout": 0.45], 0.88),
            (["network": "rnn", "cell": "simple_rnn", "bidirectional": false, "layers": 1, "dropout": 0.2], 0.85),
            (["network": "rnn", "cell": "lstm", "bidirectional": false, "layers": 1, "dropout": 0.2], 0.9),
        ]
        var trials: [NewTrial] = []
        for (point, p) in points.enumerated() {
            trials.append(
                NewTrial(
                    id: storeHexID("networks-\(point)"), ordinal: point, gridPoint: point, seed: 1,
                    paramsJSON: storeParamsJSON(common.merging(p.params) { $1 })))
        }
        try store.registerTrials(sweep: sweep, trials: trials)
        for (point, p) in points.enumerated() {
            let id = storeHexID("networks-\(point)")
            try store.markStarted(sweep: sweep, trial: id, pid: 1000)
            try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: 1, loss: 0.4, accuracy: p.test - 0.01))
            try store.markCompleted(sweep: sweep, trial: id, testLoss: 0.3, testAccuracy: p.test, seconds: 1)
        }
        let table = try ReportBuilder().build(store: store, sweepName: "networks")
        let expected = """
            Sweep networks — 256 units, Adam (learning rate 0.001), batch 128, 1 epoch, 1 seed, metrics at the last epoch.

            | Network   | Depth | Regularizer   | Train Accuracy, % | Test Accuracy, % |
            | :-------- | ----: | :------------ | ----------------: | ---------------: |
            | MLP       |     2 | Dropout(0.45) |             87.00 |            88.00 |
            | SimpleRNN |     1 | Dropout(0.2)  |             84.00 |            85.00 |
            | LSTM      |     1 | Dropout(0.2)  |         **89.00** |        **90.00** |

            One seed per row: the table cannot tell which differences are real (Welch's t-test needs at least 2 seeds \
            per row); bold marks only the best value.

            """
        #expect(MarkdownRenderer().render(table) == expected)
        let records = parseReportCSV(CSVRenderer().render(table))
        // CSV keeps the raw keys (the MLP has no cell, so its cell and bidirectional cells are empty).
        #expect(records[0].prefix(5) == ["network", "cell", "bidirectional", "layers", "dropout"])
        #expect(records[1].prefix(5) == ["mlp", "", "", "2", "0.45"])
        #expect(records[3].prefix(5) == ["rnn", "lstm", "false", "1", "0.2"])
    }
}
