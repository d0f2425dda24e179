import CProcessControl
import Foundation
import RNNData
import RNNTraining

/// The worker side of a sweep: trains trials and streams their `TrainingEvent`s as JSON lines.
///
/// Local (started by `rnnsweep run`): requests arrive on stdin, one a line, and events go to stdout; after a
/// trial's last event comes an end-of-trial line (``WorkerTrialEnd``) and the worker waits for the next request,
/// keeping the last data set decoded (``RetainedDataset``); everything else — model, optimizer, random streams,
/// threads, provenance — is made anew for each trial, so a trial's bits do not depend on what the process trained
/// before. Short epochs' events share writes (``WorkerEventBatch``). Never orphaned: it asks the kernel for SIGTERM
/// when its parent dies (PR_SET_PDEATHSIG), checks it still has the coordinator as parent, and exits when its stdin
/// reaches end-of-file (``WorkerRequestStream``).
/// On a scheduler (a Slurm array task): the request is a file and events are appended to an events file that the
/// coordinator follows from the submit host; the scheduler owns the process's life.
/// Either way it resets SIGINT/SIGTERM to their default action, because a parent that ignores them (to handle them
/// itself) would otherwise pass "ignore" on; SIGTERM (the coordinator's stop, the parent-death signal, a scheduler's
/// time limit) first waits for the checkpoint being written in the background and writes the last epoch's if
/// `checkpoint_every` left it unwritten (``CheckpointWriter/stop()``), then ends the process as before.
public enum SweepWorker {
    /// Test-only: the path of a file that makes background checkpoint writes wait while it exists
    /// (``CheckpointWriter``), so that a test can kill a worker in the middle of one. Read by the worker alone.
    public static let testCheckpointPauseVariable = "RNNSWEEP_TEST_CHECKPOINT_PAUSE"

    /// Runs the requests read from stdin until it ends; returns the process exit status (0, or the first request's
    /// trouble: none at all, or one that is not valid). `build` is the executable's identity, reported with the
    /// machine in the `started` event (``Provenance``).
    public static func main(build: BuildIdentity, emit: @escaping (String) -> Void) -> Int32 {
        resetSignals()
        let writer = checkpointWriter()
        // Short epochs' events share a write (``WorkerEventBatch``); a stop writes what waits.
        let batch = WorkerEventBatch(write: emit)
        let trap = stopSignalTrap(writer, batch: batch)
        defer { endAfterStopSignal(trap) }
        _ = rnnsweep_set_parent_death_signal(SIGTERM)
        // End-of-file while a trial trains: the coordinator is gone; the last epoch goes to disk first.
        // Also ends the process: never beside a stop signal's handler (the parent-death signal and end-of-file come
        // together when the coordinator dies).
        let requests = WorkerRequestStream(beforeOrphanedExit: {
            ending.lock()
            writer.stop()
        })
        let retained = RetainedDataset()
        var first = true
        while let line = requests.next() {
            guard let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8)) else {
                batch.send(TrainingEvent.error(.init(kind: "internal", message: "worker: no valid request on stdin")))
                requests.trialOver()
                batch.send(line: WorkerTrialEnd(status: WorkerExit.badRequest).jsonLine)
                return WorkerExit.badRequest
            }
            if let coordinator = request.coordinatorPID, getppid() != coordinator { return WorkerExit.orphaned }
            first = false
            let status = run(request, build: build, writer: writer, data: retained, send: batch.send)
            requests.trialOver()
            batch.send(line: WorkerTrialEnd(status: status).jsonLine)
            if request.lastTrial == true { return status }
        }
        if first {
            emit(TrainingEvent.error(.init(kind: "internal", message: "worker: no valid request on stdin")).jsonLine)
            return WorkerExit.badRequest
        }
        return WorkerExit.completed
    }

    /// Runs the request in `requestFile`, appending events to `eventsFile` (``EventsFileWriter``).
    public static func main(requestFile: String, eventsFile: String, build: BuildIdentity) -> Int32 {
        resetSignals()
        // In the sweep's folder: never through a planted link (``NoFollow``).
        let events: EventsFileWriter
        do {
            events = try EventsFileWriter(path: eventsFile)
        } catch {
            FileHandle.standardError.write(Data("worker: cannot open \(error.description)\n".utf8))
            return WorkerExit.badRequest
        }
        let emit: (String) -> Void = { events.append($0) }
        guard let data = FileManager.default.contents(atPath: requestFile),
            var request = try? JSONDecoder().decode(WorkerRequest.self, from: data)
        else {
            emit(
                TrainingEvent.error(.init(kind: "internal", message: "worker: no valid request in \(requestFile)"))
                    .jsonLine)
            return WorkerExit.badRequest
        }
        if let cpus = ProcessInfo.processInfo.environment["SLURM_CPUS_PER_TASK"].flatMap(Int.init), cpus > 0 {
            request.threads = cpus
        }
        let writer = checkpointWriter()
        let trap = stopSignalTrap(writer)
        defer { endAfterStopSignal(trap) }
        return run(request, build: build, writer: writer) { emit($0.jsonLine) }
    }

    /// Trains one request; returns the status a one-trial worker exits with (``WorkerExit``). Its data comes from
    /// `data` when that still holds it.
    static func run(
        _ request: WorkerRequest, build: BuildIdentity, writer: CheckpointWriter,
        data retained: RetainedDataset = RetainedDataset(), send: (TrainingEvent) -> Void
    ) -> Int32 {
        do {
            // The trial's folder in the sweep's folder: a link there would have the checkpoints written wherever it
            // points. This trial fails alone (the coordinator refuses links it finds before the sweep starts).
            do {
                try NoFollow.checkNotLink(request.checkpointDirectory)
            } catch {
                throw TrainingError.checkpoint(path: error.path, reason: error.reason)
            }
            var config = try TrainingConfig(parameters: request.parameters)
            let data: DatasetSplits
            let folder = request.dataCacheDirectory.map { URL(fileURLWithPath: $0) }
            do {
                data = try retained.load(
                    config.dataset, environment: ProcessInfo.processInfo.environment, cacheDirectory: folder)
                // The files must still be what the sweep was planned with: a trial's id names their contents.
                let fingerprint = try data.fingerprint(cache: folder.map(FingerprintCache.init(directory:)))
                if let planned = request.dataFingerprint, fingerprint != planned {
                    throw TrainingError.dataChanged(
                        planned: planned, now: fingerprint, sources: DataVersion.describe(sources: data.sources))
                }
                config.dataFingerprint = fingerprint
            } catch let error as DataError { throw TrainingError.data(error) }
            let trainer = try Trainer(
                config: config, data: data, threads: request.threads,
                checkpointDirectory: URL(fileURLWithPath: request.checkpointDirectory), resume: true,
                unusableCheckpoint: .moveAside, build: build, checkpointWriter: writer)
            _ = try trainer.run(until: request.untilEpoch, onEvent: send)
            return WorkerExit.completed
        } catch let error as TrainingError {
            send(error.event)
            if case .diverged = error { return WorkerExit.diverged }
            return WorkerExit.failed
        } catch {
            send(TrainingEvent.error(.init(kind: "internal", message: "\(error)")))
            return WorkerExit.failed
        }
    }

    private static func resetSignals() {
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
        signal(SIGHUP, SIG_DFL)
        signal(SIGPIPE, SIG_DFL)  // the coordinator ignores it, and that disposition is inherited
        SignalTrap.unblock([SIGTERM, SIGINT, SIGHUP])
    }

    /// The background checkpoint writer, with the test-only pause file when the environment names one.
    private static func checkpointWriter() -> CheckpointWriter {
        CheckpointWriter(testPauseFile: ProcessInfo.processInfo.environment[testCheckpointPauseVariable])
    }

    /// Taken, and never given back, by whichever ends the process first: the stop signal's handler, the orphaned
    /// exit at end-of-file, or the worker's return. Without it, a worker could return and exit while the handler
    /// still ran on its own thread, and the orphaned exit could run beside the handler.
    private static let ending = NSLock()

    /// Waits for a stop signal's handler that has begun (it ends the process), else keeps it from beginning.
    private static func endAfterStopSignal(_ trap: SignalTrap) {
        ending.lock()
        trap.restore()
    }

    /// SIGTERM ends the process as its default action does, once `writer` has put the last epoch on disk and `batch`
    /// has written the events that waited.
    ///
    /// Called on the main thread, before it starts any other: SIGTERM is then blocked there and in every thread it
    /// starts, and libdispatch reads it from its signalfd. Unblocked, SIGTERM interrupted whichever thread it landed
    /// on to run libdispatch's relay handler, and when that was the training thread inside one of oneDNN's JIT
    /// kernels, the handler's frame was written where the kernel had pointed the stack: AddressSanitizer saw a
    /// 128-byte heap-buffer-overflow into a oneDNN buffer (`sigfillset` in `_dispatch_sigmask`), and workers stopped
    /// mid-epoch died of SIGSEGV or SIGABRT in `free` (`WorkerStopTests`). It also cut the stdin reader's `read`
    /// short (EINTR).
    private static func stopSignalTrap(_ writer: CheckpointWriter, batch: WorkerEventBatch? = nil) -> SignalTrap {
        defer { SignalTrap.block([SIGTERM]) }
        return SignalTrap(signals: [SIGTERM]) { _ in
            ending.lock()
            writer.stop()
            batch?.flush()
            signal(SIGTERM, SIG_DFL)
            // To this thread, with SIGTERM unblocked here, not to the process: libdispatch's signal source (still
            // armed) takes a process-wide SIGTERM that every thread blocks and runs this handler again, which then
            // waits for `ending` forever; the worker hung until SIGKILL (Slurm's, after KillWait: seen as a
            // requeued or cancelled trial that "ended" with status 137). A thread-directed signal is this thread's.
            SignalTrap.unblock([SIGTERM])
            raise(SIGTERM)
            _exit(128 + SIGTERM)  // not reached: the default action ends the process
        }
    }
}
