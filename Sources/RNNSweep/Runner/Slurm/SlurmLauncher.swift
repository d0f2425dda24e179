import Foundation
import RNNTraining

/// Runs trials as Slurm array tasks: one `sbatch --array=0-(t−1)%K` per batch of trials (split where an array would
/// exceed the cluster's MaxArraySize), each task running one trial or several one after another
/// (``TrialsPerTask``), each trial's request, events and output in a submission folder that compute nodes can read.
/// The coordinator on the submit host follows the events files and polls `squeue`; it needs no connection to the
/// nodes, and a coordinator started again later picks up where the last one stopped (the database keeps every task
/// and how far its events file was recorded).
final class SlurmLauncher: TrialLauncher {
    /// Slurm throttles with `%K` itself, so every ready trial is submitted.
    let capacity = Int.max
    /// Its journal records each submission before and after `sbatch`.
    let recordsStarts = true
    /// A submitted task waits in Slurm's queue.
    let startsQueued = true
    let placeName = "on Slurm"
    private let settings: SlurmSettings
    private let sweepName: String
    private let submissions: URL
    private let executable: URL
    private let deliver: @Sendable (LaunchMessage) -> Void
    private let journal: any SubmissionJournal
    private let client: SlurmClient
    private let runDirectory: URL
    /// When the controller last answered and since when it has not (kept in `slurm/controller.json` for `status`).
    private var health: SlurmControllerHealth
    private var maxArraySize: Int?
    private var tasks: [Int: Task] = [:]
    private var adoptedRows: [SlurmTaskRow]
    private var nextID = 0
    private var lastQueuePoll: ContinuousClock.Instant?
    /// Array tasks with stops asked since the last poll, and whether one of them was forced.
    private var stopsAsked: [String: Bool] = [:]

    /// What the launcher knows about one trial's place on Slurm between polls.
    private struct Task {
        let launched: LaunchedTrial
        var ref: SlurmTaskRef
        /// Its array task runs other trials too: the task's state and exit status are not this trial's.
        let shared: Bool
        /// Its `.ended` was delivered (it waits to be released).
        var ended = false
        /// Its array task reached it and did not start it (`cancelled`, `time_limit`).
        var skipped: String?
        var follower: EventsFileFollower
        var queued: SlurmClient.QueuedTask?
        var launches = 0
        var exit: BatchScriptExit?
        var restart = -1
        var missedPolls = 0
        /// What has been delivered, so that a file read again from its start (truncated or replaced) delivers
        /// nothing twice: the restarts whose `launched` and `started` lines were delivered, and the epochs of the
        /// current attempt.
        var startedRestarts: Set<Int> = []
        var finishedRestarts: Set<Int> = []
        var epochs: Set<Int> = []
        /// The restart the lines being read belong to (the last `launched` line read).
        var fileRestart = -1
        var offset: Int { follower.offset }

        init(launched: LaunchedTrial, ref: SlurmTaskRef, shared: Bool, offset: Int) {
            self.launched = launched
            self.ref = ref
            self.shared = shared
            follower = EventsFileFollower(offset: offset)
        }
        private func file(_ name: String) -> URL { URL(fileURLWithPath: ref.folder).appendingPathComponent(name) }
        var events: URL { SlurmBatchScript.file("events", folder: ref.folder, place: ref.arrayIndex) }
        /// The worker's output: its own log, or (submissions of earlier versions) its array task's output.
        var outputs: [URL] {
            [
                SlurmBatchScript.file("log", folder: ref.folder, place: ref.arrayIndex),
                file("task-\(ref.arrayTask).out"), file("array-\(ref.arrayTask).out"),
            ]
        }
        /// Its array task started (Slurm creates the task's output file then).
        var taskStarted: Bool { FileManager.default.fileExists(atPath: file("array-\(ref.arrayTask).out").path) }
        /// Written before `scancel`: a cancel sent to a silent controller may take effect after this coordinator
        /// has gone, and the next one must not take the task for failed. It names the signal (TERM, or KILL when
        /// forced) for the batch script, which stops only the trial it names.
        var cancelRequested: URL { SlurmBatchScript.cancelFile(folder: ref.folder, place: ref.arrayIndex) }
        /// True once the batch script has ended this trial for good (``BatchScriptExit/endsTrial(cancelRequested:)``).
        var endedInTask: Bool {
            if skipped != nil { return true }
            guard let exit, exit.restart >= restart else { return false }
            return SlurmBatchScript.endsTrial(exit, folder: ref.folder, place: ref.arrayIndex)
        }
    }

    init(
        settings: SlurmSettings, sweepName: String, runDirectory: URL, executable: URL, adopting rows: [SlurmTaskRow],
        journal: any SubmissionJournal, deliver: @escaping @Sendable (LaunchMessage) -> Void
    ) throws(SweepRunError) {
        do { try settings.validate() } catch { throw .launch(error.description) }
        for tool in ["sbatch", "squeue", "scancel", "scontrol"] where SlurmClient.find(tool) == nil {
            throw .launch(SlurmError.notInstalled(tool).description)
        }
        self.settings = settings
        self.sweepName = sweepName
        self.runDirectory = runDirectory
        client = SlurmClient(timeout: settings.effectiveCommandTimeout, signals: SignalCount.shared)
        health = SlurmControllerHealth.read(runDirectory: runDirectory) ?? SlurmControllerHealth()
        submissions =
            settings.sharedDirectory.map {
                URL(fileURLWithPath: $0, isDirectory: true).appendingPathComponent(sweepName)
            }
            ?? runDirectory.appendingPathComponent("slurm", isDirectory: true)
        self.executable = executable
        self.deliver = deliver
        self.journal = journal
        adoptedRows = rows
    }

    /// The tasks an earlier coordinator left in flight, as launched trials (of those whose trial is in `trials`).
    func adopted(trials: [TrialSpec]) -> [LaunchedTrial] {
        let byID = Dictionary(trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [LaunchedTrial] = []
        // A submission recorded but not confirmed (its coordinator died around `sbatch`): find its job by name.
        var resolved: [String: String] = [:]
        for placeholder in Set(adoptedRows.map(\.jobID)) where placeholder.hasPrefix(Self.placeholderPrefix) {
            let name = Self.jobName(sweepName, placeholder: placeholder)
            if let job = try? ask({ () throws(SlurmError) in try client.job(named: name) }) {
                try? journal.submitted(placeholder: placeholder, jobID: job)
                resolved[placeholder] = job
            }
        }
        for row in adoptedRows {
            guard let trial = byID[row.trialID] else { continue }
            let ref = SlurmTaskRef(
                jobID: resolved[row.jobID] ?? row.jobID, arrayIndex: row.arrayIndex, arrayTask: row.arrayTask,
                folder: row.folder)
            let launched = makeTrial(trial, attempt: 1, ref: ref)
            tasks[launched.id] = Task(launched: launched, ref: ref, shared: row.shared, offset: row.eventsOffset)
            result.append(launched)
        }
        adoptedRows = []
        return result
    }

    private func makeTrial(_ trial: TrialSpec, attempt: Int, ref: SlurmTaskRef) -> LaunchedTrial {
        nextID += 1
        let launched = LaunchedTrial(
            id: nextID, trial: trial, attempt: attempt, location: "task \(ref.slurmID)", lane: nextID - 1)
        launched.handle = ref
        return launched
    }

    func launch(_ requests: [LaunchRequest]) -> [Result<LaunchedTrial, SweepRunError>] {
        let limit: Int
        do {
            if maxArraySize == nil { maxArraySize = try ask { () throws(SlurmError) in try client.maxArraySize() } }
            limit = max(1, maxArraySize! - 1)
        } catch {
            return requests.map { _ in .failure(.launch(error.description)) }
        }
        let perTask = (settings.trialsPerTask ?? .auto).resolved(
            estimates: requests.map(\.estimatedSeconds), slots: settings.maxParallel,
            timeLimit: settings.time.flatMap(SlurmSettings.timeLimitSeconds))
        var results: [Result<LaunchedTrial, SweepRunError>] = []
        var previousJob: String?
        var start = 0
        while start < requests.count {
            let chunk = Array(requests[start..<min(requests.count, start + limit * perTask)])
            start += chunk.count
            switch submit(chunk, tasks: (chunk.count + perTask - 1) / perTask, after: previousJob) {
            case .success(let (job, launched)):
                previousJob = job.hasPrefix(Self.placeholderPrefix) ? previousJob : job
                results += launched.map { .success($0) }
            case .failure(let error):
                results += chunk.map { _ in .failure(error) }
            }
        }
        return results
    }

    /// One array job of `taskCount` tasks for `requests` (request j runs in task j mod `taskCount`); with `after`,
    /// it starts once that job has ended, so that two arrays never run more than `max_parallel` tasks together.
    private func submit(_ requests: [LaunchRequest], tasks taskCount: Int, after: String?) -> Result<
        (String, [LaunchedTrial]), SweepRunError
    > {
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        let folder = submissions.appendingPathComponent(FileTimeStamp.utc() + "-" + tag, isDirectory: true)
        let placeholder = Self.placeholderPrefix + tag
        do {
            try writeSubmission(requests, tasks: taskCount, into: folder)
            let script = folder.appendingPathComponent("array.sh")
            var settings = self.settings
            if let after { settings.sbatchArgs.append("--dependency=afterany:\(after)") }
            // Recorded before sbatch and confirmed after: a coordinator killed in between finds the job by its name
            // instead of submitting the trials again.
            try journal.willSubmit(
                trials: requests.map(\.trial.id),
                tasks: taskCount < requests.count ? requests.indices.map { $0 % taskCount } : nil,
                placeholder: placeholder, folder: folder.path)
            let job: String
            do {
                let name = Self.jobName(sweepName, placeholder: placeholder)
                job = try ask { () throws(SlurmError) in
                    try client.submitArray(
                        script: script, count: taskCount, throttle: settings.maxParallel, name: name,
                        output: folder.appendingPathComponent("array-%a.out").path, settings: settings)
                }
            } catch {
                switch error {
                case .timedOut, .interrupted:
                    // The controller may have taken the job without answering: it keeps its placeholder and is looked
                    // up by name at each poll (``resolvePlaceholders()``) rather than submitted twice.
                    job = placeholder
                default:
                    try? journal.notSubmitted(placeholder: placeholder)
                    throw error
                }
            }
            if job != placeholder { try journal.submitted(placeholder: placeholder, jobID: job) }
            let launched = requests.enumerated().map { i, request in
                let ref = SlurmTaskRef(jobID: job, arrayIndex: i, arrayTask: i % taskCount, folder: folder.path)
                let trial = makeTrial(request.trial, attempt: request.attempt, ref: ref)
                tasks[trial.id] = Task(launched: trial, ref: ref, shared: taskCount < requests.count, offset: 0)
                return trial
            }
            return .success((job, launched))
        } catch let error as SweepRunError {
            return .failure(error)
        } catch let error as SlurmError {
            return .failure(.launch(error.description))
        } catch let error as CocoaError {
            return .failure(.launch("cannot write the submission folder \(folder.path): \(error.localizedDescription)"))
        } catch {
            return .failure(.store("\(error)"))
        }
    }

    /// Creates the submission folder and writes its requests and batch script, never through a link planted in
    /// the sweep's folder (``NoFollow``): the `slurm` folder of the sweep's folder and the submission folder must be
    /// real folders (a `--shared-dir` is the user's and may be a link), and each file is new.
    private func writeSubmission(_ requests: [LaunchRequest], tasks: Int, into folder: URL) throws(SweepRunError) {
        do {
            try NoFollow.directory(submissions.path, allowingLink: settings.sharedDirectory != nil)
            try NoFollow.directory(folder.path)
        } catch {
            if error.isUnwritable { throw .unwritableFolder(path: error.path, reason: error.reason) }
            throw .launch("cannot create the submission folder \(error.description)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var files: [(URL, Data)] = []
        for (i, request) in requests.enumerated() {
            do {
                files.append(
                    (SlurmBatchScript.file("json", folder: folder.path, place: i), try encoder.encode(request.request)))
            } catch {
                throw .launch("cannot encode the request of trial \(request.trial.id): \(error)")
            }
        }
        files.append(
            (
                folder.appendingPathComponent("array.sh"),
                Data(
                    SlurmBatchScript.text(
                        folder: folder, executable: executable, sweep: sweepName, count: requests.count, tasks: tasks
                    ).utf8)
            ))
        for (file, data) in files {
            do {
                try AtomicFile.write(data, to: file.path, durable: false)
            } catch {
                if NoFollow.Failure.unwritableCodes.contains(error.code) {
                    throw .unwritableFolder(path: folder.path, reason: error.reason)
                }
                throw .launch("cannot write the submission file \(file.path): \(error.reason)")
            }
        }
    }

    /// The job id a submission is recorded under until `sbatch` has answered.
    static let placeholderPrefix = "submitting-"

    /// `rnnsweep-<sweep>-<tag>`: unique per submission, so a job can be found by name.
    static func jobName(_ sweep: String, placeholder: String) -> String {
        "rnnsweep-\(sweep)-\(placeholder.dropFirst(placeholderPrefix.count))"
    }

    func stop(_ trial: LaunchedTrial, force: Bool) {
        // A controller that is not answering cannot cancel anything: waiting a timeout per task would only keep
        // the coordinator from stopping (it leaves the tasks in flight; `sync` follows them later).
        guard let task = tasks[trial.id], !task.ended, health.notAnsweringSince == nil else { return }
        _ = FileManager.default.createFile(
            atPath: task.cancelRequested.path, contents: Data((force ? "KILL" : "TERM").utf8))
        stopsAsked[task.ref.slurmID] = force || stopsAsked[task.ref.slurmID] == true
    }

    /// Passes the stops asked since the last poll to Slurm, one command per array task: a coordinator that stops
    /// every trial cancels each task once. A task running other trials that are still wanted is not cancelled: its
    /// batch script stops the trials asked for alone (SIGUSR2 to the script, which reads their files), or never
    /// starts them.
    private func sendStops() {
        let asked = stopsAsked
        stopsAsked = [:]
        guard !asked.isEmpty else { return }
        // One pass over the trials (a coordinator stopping everything asks for every task at once).
        var wanted: Set<String> = []
        for task in tasks.values where asked[task.ref.slurmID] != nil && !task.ended {
            if !FileManager.default.fileExists(atPath: task.cancelRequested.path) { wanted.insert(task.ref.slurmID) }
        }
        for (slurmID, force) in asked.sorted(by: { $0.key < $1.key }) where health.notAnsweringSince == nil {
            do {
                if wanted.contains(slurmID) {
                    // Refused while the task is pending: the script then skips those trials when it gets to them.
                    try ask { () throws(SlurmError) in try client.signalBatchScript(slurmID, "USR2") }
                } else {
                    try ask { () throws(SlurmError) in try client.cancel(slurmID, force: force) }
                }
            } catch {
                // The task may have just ended; the next poll sees it either way.
            }
        }
    }

    /// Set while the controller is not answering: in-flight tasks can be neither followed to their end nor
    /// cancelled.
    var schedulerTrouble: String? { health.statusLine.map { "the Slurm " + $0 } }

    /// Runs one scheduler command and records whether the controller answered it (a refusal is an answer). A call
    /// a signal cut short counts as unanswered once it has waited a few seconds: a controller that answers does so
    /// in milliseconds.
    private func ask<T>(_ command: () throws(SlurmError) -> T) throws(SlurmError) -> T {
        let asked = Date()
        do {
            let result = try command()
            answered()
            return result
        } catch {
            switch error {
            case .interrupted(_, let waited) where waited >= min(5, settings.effectiveCommandTimeout / 2):
                notAnswering(error, since: asked)
            case .interrupted, .notInstalled, .invalidSetting: break
            default: if error.controllerNotAnswering { notAnswering(error, since: asked) } else { answered() }
            }
            throw error
        }
    }

    private func answered() {
        let wasSilent = health.notAnsweringSince != nil || health.lastAnswered == nil
        health.lastAnswered = Date()
        health.notAnsweringSince = nil
        health.lastError = nil
        if wasSilent { health.write(runDirectory: runDirectory) }
    }

    /// Records a command asked at `since` that got no answer.
    private func notAnswering(_ error: SlurmError, since: Date) {
        health.lastError = error.description
        guard health.notAnsweringSince == nil else { return }
        health.notAnsweringSince = since
        health.write(runDirectory: runDirectory)
    }

    func release(_ trial: LaunchedTrial) { tasks[trial.id] = nil }

    func poll() {
        sendStops()
        for id in tasks.keys.sorted() { readEvents(id) }
        let now = ContinuousClock.now
        // A silent controller is asked less often: each call may wait a whole command timeout, and the events
        // files are read between calls.
        let interval = health.notAnsweringSince == nil ? settings.pollInterval : max(settings.pollInterval, 30)
        if let last = lastQueuePoll, now - last < .seconds(interval) { return }
        resolvePlaceholders()
        // A placeholder is no job id: squeue would refuse the whole list.
        let jobs = Array(Set(tasks.values.map(\.ref.jobID)).filter { !$0.hasPrefix(Self.placeholderPrefix) }).sorted()
        guard !jobs.isEmpty else {
            lastQueuePoll = .now
            return
        }
        let answer = try? ask { () throws(SlurmError) in try client.queue(jobs: jobs) }
        lastQueuePoll = .now
        // slurmctld busy or down: look again later (the events files are read meanwhile).
        guard let queue = answer else { return }
        for id in tasks.keys.sorted() {
            guard var task = tasks[id], !task.ended, !task.ref.jobID.hasPrefix(Self.placeholderPrefix) else { continue }
            if var queued = queue[task.ref.slurmID] {
                task.missedPolls = 0
                if task.shared && task.launches == 0 && queued.state == "RUNNING" {
                    // Its task runs another of its trials first.
                    queued = SlurmClient.QueuedTask(
                        state: "PENDING", reason: SlurmStatus.waitingReason(task.ref.slurmID), node: nil)
                }
                if queued != task.queued {
                    task.queued = queued
                    deliver(
                        LaunchMessage(
                            launch: id,
                            event: .queueState(state: queued.state, reason: queued.reason, node: queued.node),
                            cursor: EventsCursor(
                                jobID: task.ref.jobID, arrayIndex: task.ref.arrayIndex, offset: task.offset)))
                }
                tasks[id] = task
                continue
            }
            // Gone from the queue; twice in a row, so that a task between two states is not taken for ended.
            task.missedPolls += 1
            tasks[id] = task
            if task.missedPolls >= 2 { end(id) }
        }
    }

    /// Finds the jobs of submissions whose `sbatch` got no answer, by their unique name. A job found gets its id
    /// (recorded); one the controller says it does not have counts as a missed poll of its tasks, which end as never
    /// submitted after two (and are submitted again). A silent controller decides nothing.
    private func resolvePlaceholders() {
        for placeholder in Set(tasks.values.map(\.ref.jobID)) where placeholder.hasPrefix(Self.placeholderPrefix) {
            let name = Self.jobName(sweepName, placeholder: placeholder)
            let found: String?
            do { found = try ask { () throws(SlurmError) in try client.job(named: name) } } catch { continue }
            for id in tasks.keys.sorted() where tasks[id]?.ref.jobID == placeholder && tasks[id]?.ended == false {
                guard let job = found else {
                    tasks[id]?.missedPolls += 1
                    if (tasks[id]?.missedPolls ?? 0) >= 2 { end(id) }
                    continue
                }
                tasks[id]?.ref.jobID = job
                tasks[id]?.launched.handle = tasks[id]?.ref
            }
            if let job = found { try? journal.submitted(placeholder: placeholder, jobID: job) }
        }
    }

    /// Delivers the complete lines appended to the task's events file since the last look. A file truncated or
    /// replaced meanwhile is read again from its start, and what was already delivered is skipped.
    private func readEvents(_ id: Int) {
        guard var task = tasks[id], !task.ended, let read = task.follower.read(task.events) else { return }
        if read.startedOver { task.fileRestart = task.restart }
        for (line, end) in read.lines {
            let cursor = EventsCursor(jobID: task.ref.jobID, arrayIndex: task.ref.arrayIndex, offset: end)
            if line.isEmpty { continue }
            if let batch = BatchScriptLine.parse(line) {
                switch batch {
                case .launched(let restart, let node, _):
                    task.fileRestart = restart
                    guard restart > task.restart else { continue }  // read before the file started over
                    task.restart = restart
                    task.launches += 1
                    task.exit = nil
                    task.epochs = []
                    task.launched.location = "task \(task.ref.slurmID) on \(node)"
                    deliver(
                        LaunchMessage(
                            launch: id, event: .workerStarted(pid: nil, location: task.launched.location),
                            cursor: cursor))
                case .exited(let exit):
                    task.exit = exit
                case .skipped(let restart, let why):
                    if restart >= task.restart { task.skipped = why }
                }
            } else if let event = try? TrainingEvent(jsonLine: line) {
                guard isNew(event, of: &task) else { continue }
                deliver(LaunchMessage(launch: id, event: .event(event), cursor: cursor))
            } else {
                deliver(LaunchMessage(launch: id, event: .unparsable(line), cursor: nil))
            }
        }
        tasks[id] = task
        // Its task went on to its next trial (or ended): this one's end need not wait for the task to leave the queue.
        if task.endedInTask { finish(id) }
    }

    /// False for an event already delivered (a file read again from its start): the `started` and `finished` of a
    /// restart, an epoch of the current attempt. Marks the event delivered otherwise.
    private func isNew(_ event: TrainingEvent, of task: inout Task) -> Bool {
        switch event {
        case .started:
            guard task.startedRestarts.insert(task.fileRestart).inserted else { return false }
            task.epochs = []
        case .epoch(let m):
            return task.epochs.insert(m.epoch).inserted
        case .finished:
            return task.finishedRestarts.insert(task.fileRestart).inserted
        default:
            break
        }
        return true
    }

    /// How the task's last attempt ended when its events file does not say (the `exited` line lost with a truncated
    /// or replaced file): the batch script's `task-<i>.exit`, else the accounting database's state and exit code
    /// (`sacct`, where the cluster keeps one).
    private func exitRecord(_ task: Task) -> BatchScriptExit? {
        if let record = SlurmBatchScript.exitRecord(folder: task.ref.folder, place: task.ref.arrayIndex),
            record.restart >= task.restart
        {
            return record
        }
        // A shared task's exit status is its last trial's.
        guard !task.shared, SlurmClient.find("sacct") != nil,
            let accounting = try? client.accounting(task.ref.slurmID), accounting.state == "COMPLETED"
        else { return nil }
        return BatchScriptExit(restart: task.restart, status: accounting.exitStatus, timeLimit: false)
    }

    /// The task has left the queue: reports how the trial ended.
    private func end(_ id: Int) {
        readEvents(id)
        finish(id)
    }

    /// Reports how the trial ended, with the tail of its output, once.
    private func finish(_ id: Int) {
        guard var task = tasks[id], !task.ended else { return }
        task.ended = true
        tasks[id] = task
        let output = task.outputs.lazy.compactMap { try? Data(contentsOf: $0) }.first ?? Data()
        let tail = LineTail.tail(of: output.suffix(64 * 1024), limit: 30)
        var end = TrialEnd(exitStatus: nil, signal: nil, stderrTail: tail, how: "")
        if let why = task.skipped {
            end.how =
                why == "time_limit"
                ? "not started: its Slurm task reached its time limit first; it is submitted again"
                : "cancelled before it started"
            end.notSubmitted = true
        } else if let exit = task.exit.flatMap({ $0.restart >= task.restart ? $0 : nil }) ?? exitRecord(task) {
            if let status = exit.status, status > 128 && status < 128 + 65 {
                end.signal = status - 128
                // Slurm ends a task with SIGTERM, and SIGKILL after its KillWait when the processes are still there.
                let by =
                    switch status - 128 {
                    case SIGTERM: " (cancelled, timed out or preempted by Slurm)"
                    case SIGKILL: " (by Slurm after its SIGTERM and KillWait, the out-of-memory killer, or a kill -9)"
                    default: ""
                    }
                end.how = "killed by signal \(status - 128)" + by
            } else if let status = exit.status {
                end.exitStatus = status
                end.how = "exited with status \(status)"
                if status == 0 && task.launched.failure == nil {
                    // It trained to the end, but its `finished` line never reached us: the events file lost it.
                    end.how +=
                        ", but its events file ends before training did (truncated or replaced?); "
                        + "running the sweep again resumes it from its checkpoint"
                }
            } else {
                end.how = "ended without an exit status its batch script could read: cancelled or killed by Slurm?"
            }
            end.timeLimit = exit.timeLimit
        } else if task.ref.jobID.hasPrefix(Self.placeholderPrefix),
            !FileManager.default.fileExists(atPath: task.events.path)
        {
            end.how = "its submission never reached Slurm (the coordinator stopped during sbatch)"
            end.notSubmitted = true
        } else if task.launches == 0 && task.offset == 0
            && FileManager.default.fileExists(atPath: task.cancelRequested.path)
        {
            // Cancelled by a coordinator that stopped (its scancel may have reached a slow controller only later):
            // it never ran, so it is simply submitted again.
            end.how = "cancelled before it started, when a coordinator stopped"
            end.notSubmitted = true
        } else if task.launches == 0 && task.offset == 0 && task.shared && task.taskStarted {
            // An earlier trial of its task ran, and the task ended (killed, failed node) before reaching this one.
            end.how = "not started: its Slurm task \(task.ref.slurmID) ended before reaching it; it is submitted again"
            end.notSubmitted = true
        } else if task.launches == 0 && task.offset == 0 {
            end.how = "left the Slurm queue before it started (cancelled?)"
        } else {
            end.how = "ended without finishing: cancelled, timed out or killed by Slurm"
        }
        deliver(
            LaunchMessage(
                launch: id, event: .ended(end),
                cursor: EventsCursor(jobID: task.ref.jobID, arrayIndex: task.ref.arrayIndex, offset: task.offset)))
    }
}

/// Where a Slurm launcher records its submissions before and after `sbatch` (the recorder: the launcher never
/// writes the database itself).
protocol SubmissionJournal {
    /// The trials of a submission about to be made (trial j run by array task `tasks[j]`; by task j when nil), under
    /// a placeholder job id; they become `running` (queued).
    func willSubmit(trials: [String], tasks: [Int]?, placeholder: String, folder: String) throws
    /// `sbatch` answered: the submission's tasks get the job id.
    func submitted(placeholder: String, jobID: String) throws
    /// `sbatch` failed: the submission is forgotten.
    func notSubmitted(placeholder: String) throws
}
