#!/usr/bin/env python3
"""Runs one command and prints, as one JSON line, its wall time and the CPU time and peak memory of that process
alone (never its children: a coordinator's workers are its children, and their time is not bookkeeping).

    scale_probe.py LOG -- rnnsweep run x.yaml --db x.sqlite

The command's stdout and stderr go to LOG. CPU time is read from /proc/<pid>/stat (utime + stime, fields 14 and
15; cutime/cstime are the children's) after the process has exited but before it is reaped (waitid with WNOWAIT
leaves it a zombie whose stat still holds its times), so it is the whole run's. Peak RSS is VmHWM from
/proc/<pid>/status, a high-water mark, read every POLL seconds while it runs (a zombie has no memory left to show):
the last read is within POLL seconds of the end.
With STOP_AFTER=S in the environment, the command gets SIGINT after S seconds (a sweep stops its workers and
leaves the rest resumable), for a look at a size too slow to run to its end.
Used by Benchmarks/scale.sh; not part of CI.
"""

import json
import os
import signal
import subprocess
import sys
import time

POLL = float(os.environ.get("POLL", "0.2"))
STOP_AFTER = float(os.environ.get("STOP_AFTER", "0"))


def self_cpu_seconds(pid: int) -> tuple[float, float]:
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    # The command name may hold spaces and parentheses: the fields start after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    # fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
    return int(fields[11]) / ticks, int(fields[12]) / ticks


def high_water_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print("usage: scale_probe.py LOG -- COMMAND...", file=sys.stderr)
        return 2
    log, command = sys.argv[1], sys.argv[3:]
    with open(log, "wb") as out:
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        hwm = 0
        stopped = False
        while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            hwm = max(hwm, high_water_kib(process.pid))
            if STOP_AFTER > 0 and not stopped and time.monotonic() - start >= STOP_AFTER:
                process.send_signal(signal.SIGINT)
                stopped = True
            time.sleep(POLL)
        wall = time.monotonic() - start
        user, system = self_cpu_seconds(process.pid)
        status = process.wait()
    print(
        json.dumps(
            {
                "wall": round(wall, 3),
                "user": user,
                "sys": system,
                "cpu": round(user + system, 2),
                "hwm_mib": round(hwm / 1024, 1),
                "exit": status,
                "stopped": stopped,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
