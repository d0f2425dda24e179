import Foundation

/// The batch script of one submission of `count` trials in `tasks` array tasks: task i runs the submission's trials
/// i, i + tasks, i + 2 × tasks, … one after another (interleaved, so that a grid's slow and fast configurations
/// spread over the tasks), each in a fresh `rnnsweep worker` on `task-<j>.json` appending to `task-<j>.events`
/// (j: the trial's place in the submission), its output to `task-<j>.log` (the shell's own to `array-<i>.out`).
/// Around a worker's own events it writes two lines of its own, each
/// preceded by a newline (so a line a killed worker left half-written cannot swallow them):
///
///     {"event":"launched","restart":0,"node":"node-4","job":"12_3"}
///     {"event":"exited","restart":0,"status":143,"time_limit":false}
///
/// and, for a trial it does not start, `{"event":"skipped","restart":0,"why":"cancelled"}` (`time_limit`).
///
/// The `exited` line is also written alone to `task-<j>.exit` (replaced at each restart): an events file truncated or
/// replaced by someone else may have lost it.
/// `restart` is `SLURM_RESTART_COUNT` (a requeued task starts again with the next one, and runs again only its trials
/// that had not ended: not started, or stopped by Slurm's SIGTERM). The shell ignores SIGTERM (scancel, a time limit
/// and a requeue send it to the task's processes; the worker dies of it once its last checkpoint is written) so that
/// it lives to write how the worker ended; `status` is null when bash cannot tell. (Ignored, not trapped: a trap
/// interrupts bash's `wait`, after which bash 5.2 can lose the worker's status.) The worker is started with SIGTERM
/// reset to its default: an ignored signal is inherited, and a worker still starting up would miss Slurm's SIGTERM
/// and die of SIGKILL after KillWait. A worker killed by a SIGTERM that the coordinator did not ask for means that
/// Slurm is ending the task: the shell starts none of its other trials, and a restart runs that trial again.
/// SIGUSR1, which `--signal=B:USR1@N` sends N seconds before the time limit, makes the shell stop the worker, mark
/// the exit `time_limit` (the coordinator resubmits the trial to resume) and skip the trials it has not started.
/// SIGUSR2 (the coordinator's `scancel --batch`, after writing the trial's `task-<j>.cancel-requested`) stops the
/// running trial if it is the one asked for, with the signal the file names (TERM, or KILL when forced); a trial
/// whose file exists is not started.
enum SlurmBatchScript {
    static func text(folder: URL, executable: URL, sweep: String, count: Int, tasks: Int) -> String {
        let folder = quoted(folder.path)
        let binary = quoted(executable.path)
        return """
            #!/bin/bash
            # Written by rnnsweep for sweep \(sweep.replacingOccurrences(of: "\n", with: " ")): \(count) trial(s) in \(tasks) array task(s).
            set -u
            folder=\(folder)
            task=$SLURM_ARRAY_TASK_ID
            count=\(count)
            tasks=\(tasks)
            restart=${SLURM_RESTART_COUNT:-0}
            job="${SLURM_ARRAY_JOB_ID:-0}_$task"
            export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
            limit=false
            pid=
            j=-1
            stop_asked() {
                [ -n "$pid" ] && [ -e "$folder/task-$j.cancel-requested" ] || return 0
                signal=$(head -c 8 "$folder/task-$j.cancel-requested" 2>/dev/null)
                [ "$signal" = KILL ] || signal=TERM
                kill -"$signal" "$pid" 2>/dev/null
            }
            # Ended in an earlier start of this task (its end is recorded): BatchScriptExit.endsTrial's rule (a
            # trial with a cancel file is skipped before this is asked).
            ended_before() {
                local status= limit=
                [ -r "$folder/task-$1.exit" ] && read -r _ status limit <"$folder/task-$1.exit" || return 1
                [ "$limit" = true ] && return 0
                [ -n "$status" ] && [ "$status" != null ] && [ "$status" != 143 ]
            }
            skip() {
                printf '\\n{"event":"skipped","restart":%d,"why":"%s"}\\n' "$restart" "$2" >>"$folder/task-$1.events"
            }
            trap '' TERM
            trap 'limit=true; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' USR1
            trap stop_asked USR2
            status=0
            for ((j = task; j < count; j += tasks)); do
                if [ -e "$folder/task-$j.cancel-requested" ]; then skip "$j" cancelled; continue; fi
                if $limit; then skip "$j" time_limit; continue; fi
                ended_before "$j" && continue
                events="$folder/task-$j.events"
                printf '\\n{"event":"launched","restart":%d,"node":"%s","job":"%s"}\\n' \\
                    "$restart" "$(hostname -s)" "$job" >>"$events"
                (trap - TERM && exec \(binary) worker --request "$folder/task-$j.json" --events "$events") \\
                    >>"$folder/task-$j.log" 2>&1 &
                pid=$!
                wait "$pid"
                # A trap interrupts `wait`; wait again until the worker is gone, then once more for its own status.
                while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done
                wait "$pid"
                status=$?
                pid=
                if [ "$status" -ge 0 ] 2>/dev/null && [ "$status" -le 255 ]; then shown=$status; else shown=null; fi
                printf '\\n{"event":"exited","restart":%d,"status":%s,"time_limit":%s}\\n' \\
                    "$restart" "$shown" "$limit" >>"$events"
                printf '%d %s %s\\n' "$restart" "$shown" "$limit" >"$folder/task-$j.exit"
                if [ "$shown" = 143 ] && ! $limit && [ ! -e "$folder/task-$j.cancel-requested" ]; then break; fi
            done
            exit "${status#-}"

            """
    }

    /// The trial at `place`'s file `task-<place>.<kind>` in the submission `folder`: `json` (its request), `events`,
    /// `log` (its worker's output), `exit`, `cancel-requested`. The one definition of the names the script uses.
    static func file(_ kind: String, folder: String, place: Int) -> URL {
        URL(fileURLWithPath: folder).appendingPathComponent("task-\(place).\(kind)")
    }

    /// The file a coordinator writes to stop the trial at `place` (it names the signal: TERM, or KILL when forced);
    /// the script starts no trial that has one, and passes SIGUSR2 on only to the trial that has one.
    static func cancelFile(folder: String, place: Int) -> URL { file("cancel-requested", folder: folder, place: place) }

    /// Whether `exit` ends the trial at `place` for good, its cancel file looked up
    /// (``BatchScriptExit/endsTrial(cancelRequested:)``).
    static func endsTrial(_ exit: BatchScriptExit, folder: String, place: Int) -> Bool {
        exit.endsTrial(
            cancelRequested: FileManager.default.fileExists(atPath: cancelFile(folder: folder, place: place).path))
    }

    /// The `task-<j>.exit` file's record of the trial's last exit (`restart status time_limit`), when there is one.
    static func exitRecord(folder: String, place: Int) -> BatchScriptExit? {
        let file = file("exit", folder: folder, place: place)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3, let restart = Int(fields[0]) else { return nil }
        return BatchScriptExit(restart: restart, status: Int32(fields[1]), timeLimit: fields[2] == "true")
    }

    /// `'text'` for bash, with embedded single quotes closed and escaped.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// How the batch script saw a trial's worker end (its `exited` line, its `task-<j>.exit` file).
struct BatchScriptExit: Equatable {
    var restart: Int
    /// The worker's exit status (128 + n: killed by signal n); nil when bash could not tell.
    var status: Int32?
    /// Stopped by the time limit's warning (SIGUSR1).
    var timeLimit: Bool

    /// True when it ends its trial for good: the script goes on to its task's next trial and a restart of the task
    /// does not run it again (the script's `ended_before`). Anything but a SIGTERM nobody asked for, which is Slurm
    /// ending the whole task (a requeue runs the trial again), or an exit bash could not read.
    func endsTrial(cancelRequested: Bool) -> Bool {
        timeLimit || cancelRequested || (status != nil && status != 128 + SIGTERM)
    }
}

/// A line the batch script writes into a trial's events file.
enum BatchScriptLine: Decodable, Equatable {
    case launched(restart: Int, node: String, job: String)
    case exited(BatchScriptExit)
    /// Not started: `cancelled` (the coordinator asked before it began) or `time_limit` (its task reached it first).
    case skipped(restart: Int, why: String)

    private enum Keys: String, CodingKey { case event, restart, node, job, status, time_limit, why }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .event) {
        case "launched":
            self = .launched(
                restart: try c.decode(Int.self, forKey: .restart), node: try c.decode(String.self, forKey: .node),
                job: try c.decode(String.self, forKey: .job))
        case "exited":
            self = .exited(
                BatchScriptExit(
                    restart: try c.decode(Int.self, forKey: .restart),
                    status: try c.decodeIfPresent(Int32.self, forKey: .status),
                    timeLimit: try c.decode(Bool.self, forKey: .time_limit)))
        case "skipped":
            self = .skipped(
                restart: try c.decode(Int.self, forKey: .restart), why: try c.decode(String.self, forKey: .why))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [Keys.event], debugDescription: "not a batch line"))
        }
    }

    /// The line if `text` is one, else nil (then it is the worker's).
    static func parse(_ text: String) -> BatchScriptLine? {
        guard text.contains("\"launched\"") || text.contains("\"exited\"") || text.contains("\"skipped\"") else {
            return nil
        }
        return try? JSONDecoder().decode(BatchScriptLine.self, from: Data(text.utf8))
    }
}
