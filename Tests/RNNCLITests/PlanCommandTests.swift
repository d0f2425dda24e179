import Foundation
import Testing

extension EndToEnd {
    /// `rnnsweep plan` shows the expansion and writes nothing.
    @Suite struct PlanCommandTests {
        @Test func planPrintsTheTrialsAndWritesNoDatabase() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "plan", units: [8, 16, 32], seeds: [1, 2])
            try workspace.write("plan.yaml", sweep.yaml)
            // No --db: `plan` has none, and the default `Results/rnnsweep.sqlite` must not appear in the cwd.
            let result = try rnnsweep(["plan", "plan.yaml"], in: workspace.directory)
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.last == "12 trials (6 grid points × 2 seeds)", "\(result.stdout)")
            #expect(lines.first == "plan: end-to-end test sweep")
            #expect(lines.count == 1 + 1 + 12 + 1, "title, header, one line per trial, count")
            #expect(lines[1].split(separator: " ") == ["#", "id", "cell", "units", "seed"])
            #expect(try workspace.contents() == ["plan.yaml"])
        }
    }
}
