import Foundation

/// The batch script of one submission: array task i runs `rnnsweep worker` on `task-<i>.json` and appends to
/// `task-<i>.events`. Around the worker's own events it writes two lines of its own, each preceded by a newline
/// (so a line a killed worker left half-written cannot swallow them):
///
///     {"event":"launched","restart":0,"node":"node-4","job":"12_3"}
///     {"event":"exited","restart":0,"status":143,"time_limit":false}
///
/// The `exited` line is also written alone to `task-<i>.exit` (replaced at each restart): an events file truncated or
/// replaced by someone else may have lost it.
/// `restart` is `SLURM_RESTART_COUNT` (a requeued task starts again with the next one). The shell ignores SIGTERM
/// (scancel, a time limit and a requeue send it to every process of the task; the worker resets it and dies of it)
/// so that it lives to write how the worker ended; `status` is null when bash cannot tell (its `wait` reports -1 when
/// the worker's exit races a trap). SIGUSR1, which `--signal=B:USR1@N` sends N seconds before the time limit, makes
/// the shell stop the worker and mark the exit `time_limit`, so the coordinator resubmits the trial to resume.
enum SlurmBatchScript {
    static func text(folder: URL, executable: URL, sweep: String) -> String {
        let folder = quoted(folder.path)
        let binary = quoted(executable.path)
        return """
            #!/bin/bash
            # Written by rnnsweep for sweep \(sweep.replacingOccurrences(of: "\n", with: " ")): one array task per trial.
            set -u
            folder=\(folder)
            i=$SLURM_ARRAY_TASK_ID
            events="$folder/task-$i.events"
            restart=${SLURM_RESTART_COUNT:-0}
            printf '\\n{"event":"launched","restart":%d,"node":"%s","job":"%s_%s"}\\n' \\
                "$restart" "$(hostname -s)" "${SLURM_ARRAY_JOB_ID:-0}" "$i" >>"$events"
            export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
            limit=false
            trap '' TERM
            trap 'limit=true; kill -TERM "$pid" 2>/dev/null' USR1
            \(binary) worker --request "$folder/task-$i.json" --events "$events" &
            pid=$!
            wait "$pid"
            status=$?
            # The USR1 trap interrupts `wait`; wait again for the worker's own status.
            while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done
            if [ "$status" -ge 0 ] 2>/dev/null && [ "$status" -le 255 ]; then shown=$status; else shown=null; fi
            printf '\\n{"event":"exited","restart":%d,"status":%s,"time_limit":%s}\\n' \\
                "$restart" "$shown" "$limit" >>"$events"
            printf '%d %s %s\\n' "$restart" "$shown" "$limit" >"$folder/task-$i.exit"
            exit "${status#-}"

            """
    }

    /// `'text'` for bash, with embedded single quotes closed and escaped.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A line the batch script writes into a task's events file.
enum BatchScriptLine: Decodable {
    case launched(restart: Int, node: String, job: String)
    case exited(restart: Int, status: Int32?, timeLimit: Bool)

    private enum Keys: String, CodingKey { case event, restart, node, job, status, time_limit }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .event) {
        case "launched":
            self = .launched(
                restart: try c.decode(Int.self, forKey: .restart), node: try c.decode(String.self, forKey: .node),
                job: try c.decode(String.self, forKey: .job))
        case "exited":
            self = .exited(
                restart: try c.decode(Int.self, forKey: .restart),
                status: try c.decodeIfPresent(Int32.self, forKey: .status),
                timeLimit: try c.decode(Bool.self, forKey: .time_limit))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [Keys.event], debugDescription: "not a batch line"))
        }
    }

    /// The line if `text` is one, else nil (then it is the worker's).
    static func parse(_ text: String) -> BatchScriptLine? {
        guard text.contains("\"launched\"") || text.contains("\"exited\"") else { return nil }
        return try? JSONDecoder().decode(BatchScriptLine.self, from: Data(text.utf8))
    }
}
