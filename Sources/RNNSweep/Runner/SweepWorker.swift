import CProcessControl
import Foundation
import RNNData
import RNNTraining

/// The worker side of a sweep: trains one trial and streams its `TrainingEvent`s as JSON lines on stdout.
///
/// Never orphaned: it asks the kernel for SIGTERM when its parent dies (PR_SET_PDEATHSIG), checks it still has the
/// coordinator as parent, and exits when its stdin reaches end-of-file. It resets SIGINT/SIGTERM to their default
/// action, because a coordinator that ignores them (to handle them itself) would otherwise pass "ignore" on.
public enum SweepWorker {
    /// Reads the request from stdin and runs it; returns the process exit status.
    public static func main(emit: @escaping (String) -> Void) -> Int32 {
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
        signal(SIGPIPE, SIG_DFL)  // the coordinator ignores it, and that disposition is inherited
        SignalTrap.unblock([SIGTERM, SIGINT])
        _ = rnnsweep_set_parent_death_signal(SIGTERM)
        guard let line = readLine(strippingNewline: true),
            let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8))
        else {
            emit(TrainingEvent.error(.init(kind: "internal", message: "worker: no valid request on stdin")).jsonLine)
            return WorkerExit.badRequest
        }
        if getppid() != request.coordinatorPID { return WorkerExit.orphaned }
        watchForCoordinatorExit()
        return run(request, emit: emit)
    }

    static func run(_ request: WorkerRequest, emit: (String) -> Void) -> Int32 {
        do {
            let config = try TrainingConfig(parameters: request.parameters)
            let data: DatasetSplits
            do { data = try DatasetLoader.load(config.dataset) } catch { throw TrainingError.data(error) }
            let trainer = try Trainer(
                config: config, data: data, threads: request.threads,
                checkpointDirectory: URL(fileURLWithPath: request.checkpointDirectory), resume: request.resume,
                unusableCheckpoint: .moveAside)
            _ = try trainer.run { emit($0.jsonLine) }
            return WorkerExit.completed
        } catch let error as TrainingError {
            emit(error.event.jsonLine)
            if case .diverged = error { return WorkerExit.diverged }
            return WorkerExit.failed
        } catch {
            emit(TrainingEvent.error(.init(kind: "internal", message: "\(error)")).jsonLine)
            return WorkerExit.failed
        }
    }

    /// Exits the process when stdin reaches EOF: the coordinator closed the pipe or died.
    private static func watchForCoordinatorExit() {
        let thread = Thread {
            var byte: UInt8 = 0
            while read(0, &byte, 1) > 0 {}
            _exit(WorkerExit.orphaned)
        }
        thread.start()
    }
}
