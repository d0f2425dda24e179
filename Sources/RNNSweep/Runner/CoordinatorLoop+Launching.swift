import Foundation
import RNNTraining

/// How the loop starts trials: what the scheduler asks for, up to the executor's capacity, each prepared
/// (``TrialPreparation``) and counted as an attempt of this run; a launch that fails is recorded as the trial's
/// failure, or stops the sweep when it is the machine's or the executor's fault.
extension CoordinatorLoop {
    mutating func fill() {
        let preparation = TrialPreparation(workspace: workspace, options: options, initialStatus: initialStatus)
        var requests: [LaunchRequest] = []
        var refused: Set<String> = []
        deadlineBlocked = false
        while inFlight.count + requests.count < launcher.capacity, let run = scheduler.next() {
            guard deadlineAdmits(run) else {
                // A refused trial coming back: every run the scheduler has now was asked for, and none fits.
                if !refused.insert(run.trial.id).inserted {
                    deadlineBlocked = true
                    break
                }
                continue
            }
            attempts[run.trial.id, default: 0] += 1
            var (request, notes) = preparation.prepare(run.trial, attempt: attempts[run.trial.id]!, until: run.until)
            request.estimatedSeconds = etaCost?.seconds(
                run.trial.parameters, epochs: run.until ?? run.trial.parameters.int("epochs"))
            for note in notes { show(note, of: run.trial) }
            requests.append(request)
        }
        guard !requests.isEmpty else { return }
        for (request, result) in zip(requests, launcher.launch(requests)) {
            switch result {
            case .success(let launched): started(launched)
            case .failure(let error): launchFailed(request.trial, error)
            }
        }
    }

    private mutating func show(_ note: TrialPreparation.Note, of trial: TrialSpec) {
        if let text = note.recorded { write("note") { recorder in try recorder.note(trial: trial.id, text) } }
        if note.isWarning { reporter.warning(note.line) } else { reporter.note(note.line) }
    }

    private mutating func started(_ launched: LaunchedTrial) {
        inFlight[launched.id] = launched
        if !launcher.recordsStarts {
            // An executor that records its own starts (a scheduler's journal, before and after submitting) also
            // has no meaningful start-up time: its trial waits in a queue.
            spawnedAt[launched.id] = .now
            write("start") { recorder in try recorder.started(trial: launched.trial.id, pid: launched.pid) }
        }
        // A queued task's process starts later (the reporter hears of it then).
        let freshProcess = launched.pid.map { workerPIDs.insert($0).inserted } ?? false
        reporter.trialStarted(
            lane: launched.lane, name: launched.location, trial: launched.trial, label: label(launched.trial),
            attempt: attempts(launched.trial), queued: launcher.startsQueued, freshProcess: freshProcess)
    }

    private mutating func launchFailed(_ trial: TrialSpec, _ error: SweepRunError) {
        if case .unwritableFolder(let path, let reason) = error {
            // Not the trial's fault: it stays as it was (never started), and the sweep stops.
            scheduler.ended(trial: trial.id, .interrupted)
            stop(for: MachineFailure.unwritable("the sweep's folder \(path) cannot be written: \(reason)"))
        } else if let trouble = launcher.schedulerTrouble {
            // The executor did not answer: not the trial's fault. It stays resumable, and the sweep stops.
            reporter.warning("#\(trial.ordinal) \(trial.id) not submitted: \(error.description)")
            if summary.fatalError == nil {
                summary.fatalError =
                    "\(trouble); nothing more was submitted: run the same command again once it answers"
            }
            scheduler.ended(trial: trial.id, .interrupted)
            if !stopping {
                stopping = true
                stopAll()
            }
        } else {
            let end = TrialEnd(exitStatus: nil, signal: nil, stderrTail: "", how: error.description)
            write("failed to launch") { recorder in
                try recorder.started(trial: trial.id, pid: nil)
                try recorder.ended(trial: trial.id, .failed(message: error.description, end: end), cursor: nil)
            }
            summary.failed += 1
            scheduler.ended(trial: trial.id, .failed(willRetry: false))
            reporter.trialFailed(lane: 0, trial: trial, status: "failed", reason: error.description)
        }
    }

    func attempts(_ trial: TrialSpec) -> Int { attempts[trial.id] ?? 1 }
}
