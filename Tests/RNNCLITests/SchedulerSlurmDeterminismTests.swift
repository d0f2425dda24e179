import Foundation
import RNNSweep
import Testing

extension EndToEnd.SlurmExecutorTests {
    /// TPE proposing configurations that successive halving runs, on the loopback cluster: the same trials, rung
    /// decisions and numbers, bit for bit, as the local executor gives (the suite's cluster and its settings), with
    /// one trial per array task and with several (a rung's paused trial ends in its task, which goes on).
    @Test(arguments: ["1", "3"])
    func tpeWithSuccessiveHalvingOnSlurmMatchesTheLocalExecutor(trialsPerTask: String) throws {
        let yaml = EndToEnd.SchedulerDeterminismTests.tpeWithHalving
        let local = try SweepWorkspace()
        let localRun = try local.run(["run", try local.write("s.yaml", yaml), "--workers", "2"])
        #expect(localRun.status == 0, "\(localRun)")
        let workspace = try SweepWorkspace()
        let slurm = Self.slurm.dropLast(2) + ["--trials-per-task", trialsPerTask]
        let result = try workspace.run(["run", try workspace.write("s.yaml", yaml)] + slurm)
        #expect(result.status == 0, "\(result)")
        let database = workspace.sweepDatabase("tpe-halving")
        #expect(try SweepOutcome(database) == SweepOutcome(local, sweep: "tpe-halving"))
        // The added configurations ran as tasks of their own submissions.
        #expect((database.slurmTasks() ?? []).count > 3, "\(database.slurmTasks() ?? [])")
    }
}
