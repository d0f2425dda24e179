#!/usr/bin/env python3
"""The coordinator's overhead per trial in a finished local run, from the database alone, as one JSON line.

    scale_overhead.py DB WORKERS

Definition: a lane is one of the WORKERS worker slots. Each trial after the first WORKERS starts on the lane that the
earliest still unclaimed trial end freed (first in, first out: the loop refills a lane as soon as it sees its
worker's end). The trial's gap is its `started_at` (recorded by the coordinator right after it spawned the worker)
minus that end's `finished_at` (recorded when the coordinator handled the worker's `finished` event). The gap is
time in which the lane trained nothing: the worker's exit after its last event, the coordinator seeing the exit,
recording the end, asking the scheduler, preparing the next trial's folder and request, and spawning it. Both
stamps come from the coordinator's clock (milliseconds). Also given: the share of lane time the workers' own
trial seconds (`trials.seconds`, spawn-free: from the trainer's start to its test) fill.
Used by Benchmarks/scale.sh; not part of CI.
"""

import json
import sqlite3
import sys
from datetime import datetime


def stamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main() -> int:
    db, workers = sys.argv[1], int(sys.argv[2])
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT started_at, finished_at, seconds FROM trials WHERE status = 'completed' AND started_at IS NOT NULL"
    ).fetchall()
    events = []
    for started, finished, _ in rows:
        events.append((stamp(started), 1, "start"))
        events.append((stamp(finished), 0, "end"))
    # Ends before starts at the same millisecond: a lane freed and refilled within one stamp has a gap of 0.
    events.sort()
    free: list[float] = []
    gaps: list[float] = []
    lanes_started = 0
    for time, _, kind in events:
        if kind == "end":
            free.append(time)
        elif lanes_started < workers:
            lanes_started += 1
        else:
            gaps.append(time - free.pop(0))
    first = min(e[0] for e in events)
    last = max(e[0] for e in events)
    trial_seconds = sum(r[2] or 0 for r in rows)
    gaps.sort()
    print(
        json.dumps(
            {
                "completed": len(rows),
                "gap_mean_ms": round(1000 * sum(gaps) / max(len(gaps), 1), 1),
                "gap_median_ms": round(1000 * gaps[len(gaps) // 2], 1) if gaps else None,
                "gap_p95_ms": round(1000 * gaps[int(len(gaps) * 0.95)], 1) if gaps else None,
                "gap_sum_s": round(sum(gaps), 1),
                "span_s": round(last - first, 1),
                "trial_seconds_sum": round(trial_seconds, 1),
                "busy_share": round(trial_seconds / (workers * (last - first)), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
