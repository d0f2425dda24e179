import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The HTML page without a browser: escaping of every kind of user text, self-containment and structure.
/// (`Tests/RNNCLITests/HTMLReportBrowserTests.swift` opens real pages in Chromium.)
@Suite("HTML report")
struct HTMLRendererTests {
    static let hostile = #"<script>alert(1)</script><img src=x onerror="alert(2)"> & 'quotes' "double""#

    /// A two-row sweep whose description, parameter values, experiment text and command are all hostile.
    /// With `search`, the stored experiment has a `search:` block over `note`, so the page opens with the leaderboard.
    static func page(
        experimentText: String? = hostile, command: String? = "rnnsweep run '\(hostile)'", search: Bool = false
    ) throws -> String {
        let json = search ? #"{"search":{"space":{"note":{"choice":["a","b"]}}}}"# : "{}"
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("h.sqlite"))
        let sweep = try store.registerSweep(
            name: "html", description: hostile, experimentPath: "x<y>.yaml", experimentJSON: json,
            varyingKeys: ["note"], experimentText: experimentText, command: command)
        var trials: [NewTrial] = []
        for (point, note) in [hostile, "plain"].enumerated() {
            for seed in 1...2 {
                trials.append(
                    NewTrial(
                        id: storeHexID("\(point)-\(seed)"), ordinal: trials.count, gridPoint: point, seed: seed,
                        paramsJSON: storeParamsJSON(["note": note, "seed": seed])))
            }
        }
        try store.registerTrials(sweep: sweep, trials: trials)
        for (index, trial) in trials.enumerated() {
            try store.markStarted(sweep: sweep, trial: trial.id, pid: nil)
            for epoch in 1...3 {
                try store.recordEpoch(
                    sweep: sweep, trial: trial.id,
                    EpochMetrics(
                        epoch: epoch, loss: 1 / Double(epoch + index), accuracy: 0.5 + 0.1 * Double(epoch),
                        valLoss: 1.1 / Double(epoch + index), valAccuracy: 0.45 + 0.1 * Double(epoch)))
            }
            if index == 3 {
                try store.markFailed(sweep: sweep, trial: trial.id, status: .diverged, error: "loss is NaN")
            } else {
                try store.markCompleted(
                    sweep: sweep, trial: trial.id, testLoss: 0.3, testAccuracy: 0.8 + 0.01 * Double(index), seconds: 2)
            }
        }
        return try ReportDocument.render(store: store, sweep: "html", format: .html, options: ReportOptions())
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func userTextIsEscapedEverywhere() throws {
        let page = try Self.page()
        // Our one script, and no element or attribute made from user text.
        #expect(Self.count("<script", in: page) == 1)
        // (`onerror="…"` does occur, harmlessly, inside escaped text: its `<img` is `&lt;img`.)
        #expect(!page.contains("<img"))
        let escapedText = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=\"alert(2)\"&gt; &amp; 'quotes'"
        // Description, the parameter cell, the experiment text: as text.
        #expect(Self.count(escapedText, in: page) >= 3, "\(page)")
        // In attributes (chart labels, sort values) quotes are entities too.
        #expect(
            page.contains(
                "data-value=\"&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;"))
        #expect(page.contains("<code>x&lt;y&gt;.yaml</code>"))
        #expect(page.contains("rnnsweep run '&lt;script&gt;"))
    }

    @Test func thePageIsSelfContained() throws {
        let page = try Self.page()
        #expect(page.hasPrefix("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"/>"))
        for reference in ["http://", "https://", "<link", "@import", "url(", "<iframe", "<object", "<embed"] {
            #expect(!page.contains(reference), "\(reference)")
        }
        // No src attribute at all (the escaped user text has `src=x` only inside text, after `&lt;img `).
        let attributes = page.replacingOccurrences(of: "&lt;img src=", with: "")
        #expect(!attributes.contains(" src=") && !attributes.contains(" href="))
    }

    @Test func structureChartsAndMarks() throws {
        let page = try Self.page()
        #expect(Self.count("<tr data-row=", in: page) == 2)
        #expect(Self.count("<svg class=\"chart curves\"", in: page) == 2)
        #expect(Self.count("<svg class=\"chart dots\"", in: page) == 1)
        #expect(page.contains("<th data-key=\"note\" data-type=\"text\" aria-sort=\"none\""))
        #expect(page.contains("<th data-key=\"test_accuracy\" data-type=\"number\""))
        // The row with a diverged seed is marked from its status, with the tone class and a badge.
        #expect(page.contains("data-status=\"diverged\" class=\"tone-error\""))
        #expect(page.contains("<span class=\"badge tone-error\">diverged (1 of 2 seeds)</span>"))
        #expect(page.contains(".badge.tone-error{") && page.contains("tr.tone-warning td:first-child"))
        // Curves: loss and accuracy panels with units, mean lines and bands (2 seeds).
        #expect(Self.count(">loss</text>", in: page) == 2 && Self.count(">accuracy, %</text>", in: page) == 2)
        // Four curve panels, and the search section's chart of every configuration's curve.
        #expect(Self.count(">epoch</text>", in: page) == 4 + 1)
        #expect(page.contains("class=\"train-band\"") && page.contains("class=\"val\""))
        // One row has 2 completed seeds, the other only 1: no test, the footnote says so.
        #expect(page.contains("Only one row has 2 or more completed seeds"))
        #expect(page.contains("<dd id=\"machine\">not recorded</dd>"))
        #expect(page.contains("timed trials took"))
    }

    @Test func aSearchPageOpensWithTheLeaderboardAndEscapesIt() throws {
        let page = try Self.page(search: true)
        let board = try #require(page.range(of: "<section id=\"leaderboard\">"))
        let results = try #require(page.range(of: "<section id=\"results\">"))
        #expect(board.upperBound < results.lowerBound && !page[..<board.lowerBound].contains("<section"))
        let section = String(page[board.lowerBound..<results.lowerBound])
        // One row per configuration. Every seed ends at validation accuracy 0.75: the tie goes to grid order, so the
        // hostile configuration wins and its value is in the highlighted row.
        #expect(Self.count("<tr data-config=", in: section) == 2)
        let winner = try #require(section.range(of: "<tr data-config=\"0\" class=\"winner\">"), "\(section)")
        let plain = try #require(section.range(of: ">plain<"))
        #expect(section[winner.upperBound..<plain.lowerBound].contains("&lt;script&gt;alert(1)"))
        #expect(section.contains("75.00 % at epoch 3"))
        // The hostile value appears as text in its cell and in the winner line, never as markup.
        #expect(!section.contains("<script") && !section.contains("<img"))
        #expect(section.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(Self.count("<script", in: page) == 1)
        // The grid table keeps data-row for its sort script; the leaderboard rows do not use it.
        #expect(Self.count("<tr data-row=", in: page) == 2)
    }

    @Test func missingProvenanceSaysNotRecorded() throws {
        let page = try Self.page(experimentText: nil, command: nil)
        #expect(Self.count("<span class=\"missing\">not recorded</span>", in: page) == 2)
    }
}
