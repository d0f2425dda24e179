"""Figures of Benchmarks/slurm-overhead.sh: one sweep run by the local and by the Slurm executor, per trial.

    slurm_overhead.py --local L.sqlite --local-wall S --slurm S.sqlite --slurm-wall S --slots K --slurmctld-log LOG

Reads the two databases, the Slurm run's events files (each trial's test-pass seconds) and slurmctld's log (its
millisecond stamps of each array task's submission, allocation and end: the coordinator's own stamps of a Slurm
trial are taken when it reads the events files, every 0.5 s, too coarse for trials shorter than a second).
"""

import argparse
import glob
import json
import os
import re
import sqlite3
import statistics
from datetime import datetime

STAMP = r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\] "
SUBMIT = re.compile(STAMP + r"_slurm_rpc_submit_batch_job: JobId=(\d+) ")
# The main scheduler says `sched: Allocate JobId=…`, the backfill scheduler `sched/backfill: _start_job: Started
# JobId=…`.
START = re.compile(STAMP + r"(?:sched: Allocate|sched/backfill: _start_job: Started) JobId=(\d+)_(\d+)\(")
DONE = re.compile(STAMP + r"_job_complete: JobId=(\d+)_(\d+)\(\d+\) done")


def seconds(stamp):
    return datetime.fromisoformat(stamp.rstrip("Z")).timestamp()


def per_trial(db):
    """trial id → (coordinator's started_at → finished_at seconds, trials.seconds, Σ its epochs' seconds)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        rows = c.execute(
            """SELECT t.id, t.started_at, t.finished_at, t.seconds, (SELECT sum(e.seconds) FROM epochs e
               WHERE e.sweep_id = t.sweep_id AND e.trial_id = t.id) FROM trials t WHERE t.status = 'completed'"""
        ).fetchall()
    return {r[0]: (seconds(r[2]) - seconds(r[1]), r[3], r[4]) for r in rows}


def slurm_tasks(db):
    """(job, array index) → (trial id, its folder), for every task of the Slurm run."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        rows = c.execute("SELECT job_id, array_index, trial_id, folder FROM slurm_tasks").fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def test_seconds(tasks):
    """trial id → its test pass's seconds, from the `finished` line of its task's events file."""
    result = {}
    for (_, index), (trial, folder) in tasks.items():
        with open(os.path.join(folder, f"task-{index}.events")) as f:
            for line in f:
                if '"finished"' in line:
                    result[trial] = json.loads(line).get("test_pass_seconds", 0.0)
    return result


def scheduler_stamps(log, jobs):
    """Submission, start and end stamps of the given jobs' array tasks in slurmctld's log, and the first and last
    stamps of every other job (someone else's work on the same cluster spoils the figures)."""
    submitted, started, done, others = {}, {}, {}, {}
    with open(log) as f:
        for line in f:
            m = SUBMIT.match(line) or START.match(line) or DONE.match(line)
            if not m:
                continue
            job, stamp = m.group(2), seconds(m.group(1))
            if job not in jobs:
                first, _ = others.get(job, (stamp, stamp))
                others[job] = (first, stamp)
            elif m.re is SUBMIT:
                submitted[job] = stamp
            else:
                (started if m.re is START else done)[(job, int(m.group(3)))] = stamp
    return submitted, started, done, others


def spread(values):
    return f"mean {statistics.mean(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def summary(name, wall, slots, recorded, walls, test):
    """The lines both executors share. `recorded` maps every completed trial to (coordinator's wall, trials.seconds,
    Σ epochs); `walls` maps trials to the wall time to count for their gap."""
    n = len(recorded)
    epochs = sum(t[2] for t in recorded.values())
    trial_seconds = sum(t[1] for t in recorded.values())
    tests = sum(test.get(k, 0.0) for k in recorded)
    gaps = [w - recorded[k][2] - test.get(k, 0.0) for k, w in walls.items()]
    outside = [w - recorded[k][1] for k, w in walls.items()]
    print(
        f"{name}: {n} trials, wall {wall:.2f} s, Σ epoch seconds {epochs:.2f} s, "
        f"Σ trial seconds {trial_seconds:.2f} s"
    )
    print(
        f"{name}: per trial: epochs {epochs / n:.3f} s, test pass {tests / n:.3f} s, "
        f"trial seconds {trial_seconds / n:.3f} s"
    )
    print(f"{name}: gap per trial that is not training (trial wall − epochs − test): {spread(gaps)}")
    print(f"{name}: trial wall − trial seconds (start-up, data loading, hand-off, exit): {spread(outside)}")
    print(
        f"{name}: slot time per trial ({slots} × wall ÷ {n}) {slots * wall / n:.3f} s, of which not training "
        f"{(slots * wall - epochs - tests) / n:.3f} s; "
        f"training and test {100 * (epochs + tests) / (slots * wall):.1f} %"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", required=True)
    parser.add_argument("--local-wall", type=float, required=True)
    parser.add_argument("--slurm", required=True)
    parser.add_argument("--slurm-wall", type=float, required=True)
    parser.add_argument("--slots", type=int, required=True, help="local workers = Slurm's %%K")
    parser.add_argument("--slurmctld-log", required=True)
    args = parser.parse_args()

    tasks = slurm_tasks(args.slurm)
    test = test_seconds(tasks)
    # Local trials: the coordinator stamps a trial when it sends the request and when the `finished` event arrives.
    local = per_trial(args.local)
    summary("local", args.local_wall, args.slots, local, {k: t[0] for k, t in local.items()}, test)

    # Slurm trials: a task's wall is slurmctld's allocation → end (slurmd's launch, bash, the process's start-up,
    # data loading, training, exit).
    submitted, started, done, others = scheduler_stamps(args.slurmctld_log, {job for job, _ in tasks})
    missing = [k for k in tasks if k not in started or k not in done]
    if missing:
        print(f"slurm: WARNING: {len(missing)} task(s) without a start or end in {args.slurmctld_log}")
    if started and done:
        window = (min(submitted.values(), default=min(started.values())), max(done.values()))
        foreign = sorted(j for j, (first, last) in others.items() if first <= window[1] and last >= window[0])
        if foreign:
            print(f"slurm: WARNING: other jobs were on this cluster during the run: {', '.join(foreign)}")
    recorded = per_trial(args.slurm)
    walls = {
        trial: done[key] - started[key]
        for key, (trial, _) in tasks.items()
        if key in started and key in done and trial in recorded
    }
    summary("slurm", args.slurm_wall, args.slots, recorded, walls, test)
    waits = [started[key] - submitted[key[0]] for key in started if key[0] in submitted]
    first = sorted(waits)[: args.slots]
    print(f"slurm: submission → task start, first {args.slots} tasks: {spread(first)}; all tasks: {spread(waits)}")
    # With %K on K CPUs a queued task starts when a slot frees: the j-th start after the first K takes the slot of
    # the j-th end. The hand-over is the slot's idle time between them.
    starts = sorted(started.values())[args.slots :]
    ends = sorted(done.values())
    handover = [s - e for s, e in zip(starts, ends)]
    if handover:
        print(f"slurm: slot hand-over (a task's end → the next task's start on that slot): {spread(handover)}")


if __name__ == "__main__":
    main()
