import Foundation
import Testing

@testable import RNNSweep

/// The shared code asks an executor through ``ExecutorChoice``'s registry (kinds, presentation, status sources,
/// memory) and names none; these check that what Slurm's own files answer reaches the shared views unchanged.
@Suite("Executor seam")
struct ExecutorSeamTests {
    @Test func theExecutorBlockReadsSlurmsKeysThroughSlurmsOwnReader() throws {
        let yaml = """
            name: x
            executor:
              kind: slurm
              partition: debug
              max_parallel: 4
              time: "01:00:00"
              cpus_per_task: 2
              mem: 2G
              sbatch_args: [--qos=short]
              shared_dir: /scratch/x
              poll_interval: 0.5
              command_timeout: 30
              trials_per_task: 8
            """
        let block = try #require(try ExperimentFile.parse(yaml: yaml, path: "x.yaml").executor)
        let expected = SlurmSettings(
            partition: "debug", maxParallel: 4, time: "01:00:00", cpusPerTask: 2, mem: "2G",
            sbatchArgs: ["--qos=short"],
            sharedDirectory: "/scratch/x", pollInterval: 0.5, commandTimeout: 30, trialsPerTask: .fixed(8))
        #expect(ExecutorChoice(file: block) == .slurm(expected))
        #expect(ExecutorChoice(file: nil) == .local)
        #expect(MemoryLimit.forRun(nil, executor: ExecutorChoice(file: block))?.bytes == Double(2 * 1_073_741_824))
    }

    @Test func anUnknownKindListsTheRegisteredExecutors() {
        do {
            _ = try ExperimentFile.parse(yaml: "name: x\nexecutor: {kind: pbs}\n", path: "x.yaml")
            Issue.record("kind: pbs was accepted")
        } catch {
            #expect(error.description.hasSuffix("executor: kind: 'pbs' is not local or slurm"), "\(error)")
        }
    }

    @Test func theRunsLogSaysWhereEachExecutorPutsItsTrials() {
        #expect(ExecutorChoice.local.presentation.placement(workers: 3) == "on 3 worker(s)")
        #expect(
            ExecutorChoice.slurm(SlurmSettings()).presentation.placement(workers: Int.max) == "as Slurm array tasks")
        var lines: [String] = []
        let reporter = SweepReporter(terminal: false) { lines.append($0) }
        reporter.presentation = ExecutorChoice.slurm(SlurmSettings()).presentation
        var summary = SweepSummary()
        summary.inFlight = 3
        reporter.end(summary)
        #expect(lines.joined().contains(", 3 queued or running on Slurm"), "\(lines)")
    }

    @Test func slurmsStatusSectionShowsItsTasksAndTheControllersLine() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.makeSweep(name: "s", trials: 2)
        let trial = storeHexID("t1")
        try store.write(sweep: sweep) {
            try $0.recordSlurmTask(trial: trial, jobID: "12", arrayIndex: 3, arrayTask: nil, folder: dir.url.path)
        }
        let tasks = try store.slurmTasksInFlight(sweep: sweep)
        #expect(SlurmStatus.section([], controller: nil, sweepName: "s") == nil)
        let section = try #require(
            SlurmStatus.section(tasks, controller: "controller not answering since 12:00", sweepName: "s"))
        #expect(section.column == "slurm")
        #expect(section.cells == [trial: "job 12_3 PENDING"])
        #expect(
            section.detachedLine == "coordinator: none (detached); 1 trial(s) on Slurm — `rnnsweep sync s` follows them"
        )
        #expect(section.lines == ["slurm: controller not answering since 12:00"])
        #expect(SlurmStatus.section(tasks, controller: nil, sweepName: "s")?.lines == [])
    }
}
