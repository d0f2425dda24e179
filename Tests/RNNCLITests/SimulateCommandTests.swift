import Foundation
import Testing

extension EndToEnd {
    /// `rnnsweep simulate` on the committed Fashion-MNIST grid (copied: the committed file is never opened).
    @Suite struct SimulateCommandTests {
        private func workspaceWithGrid() throws -> SweepWorkspace {
            let workspace = try SweepWorkspace()
            try FileManager.default.copyItem(
                at: GitCheckout.packageRoot.appendingPathComponent("Results/search-fashion-mnist-grid.sqlite"),
                to: workspace.directory.appendingPathComponent("grid.sqlite"))
            return workspace
        }

        @Test func theSameCommandPrintsTheSameBytes() throws {
            let workspace = try workspaceWithGrid()
            let arguments = [
                "simulate", "search-fashion-mnist-grid", "--db", "grid.sqlite", "--workers", "2,16", "--configurations",
                "40",
            ]
            let first = try rnnsweep(arguments, in: workspace.directory)
            let second = try rnnsweep(arguments, in: workspace.directory)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout == second.stdout)
            let lines = first.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines.first
                    == "Simulated from sweep search-fashion-mnist-grid: 40 configurations drawn from its 27 (seed 0) × "
                    + "2 seeds × 20 epochs; val_accuracy, min_epochs 1, reduction_factor 3")
            #expect(lines.filter { $0.hasPrefix("| hyperband | ") }.count == 2)
        }

        @Test func badArgumentsAreRefusedWithTheReason() throws {
            let workspace = try workspaceWithGrid()
            let method = try rnnsweep(
                ["simulate", "search-fashion-mnist-grid", "--db", "grid.sqlite", "--method", "asha"],
                in: workspace.directory)
            #expect(method.status != 0 && method.stderr.contains("'asha' is not one of"), "\(method)")
            let rung = try rnnsweep(
                ["simulate", "search-fashion-mnist-grid", "--db", "grid.sqlite", "--min-epochs", "20"],
                in: workspace.directory)
            #expect(
                rung.status == 1 && rung.stderr.contains("--min-epochs 20 must be at least 1 and below the 20 epochs"),
                "\(rung)")
            // With η 2 and min_epochs 1, s_max = 4 and one iteration is 16 + 10 + 7 + 5 + 5 = 43 > 27 configurations.
            let hyperband = try rnnsweep(
                [
                    "simulate", "search-fashion-mnist-grid", "--db", "grid.sqlite", "--method", "hyperband",
                    "--reduction-factor", "2",
                ], in: workspace.directory)
            #expect(hyperband.status == 1 && hyperband.stderr.contains("needs at least"), "\(hyperband)")
        }
    }
}
