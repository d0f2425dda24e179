#!/usr/bin/env python3
"""Runs `rnnsweep run … --log` and checks its live ETA against the run's real end.

    eta_check.py -- rnnsweep run FILE --workers 2 --log --db DB

Every line `run` prints is stamped with the seconds since the start. At the first trial-end line at or after 10 %,
25 % and 50 % of the trials done ("k/n trials done, ETA …"), the ETA is compared with the seconds the run really
had left. Prints one line per point and the run's wall time; the run's own output goes to stderr.
"""

import re
import subprocess
import sys
import time

DONE = re.compile(r"(\d+)/(\d+) trials done, ETA (?:≤ )?(.+?)\s*$")


def seconds(text):
    """The live ETA's durations: '4.2s', '42s', '2m05s', '1h03m'; None for 'after the first epoch'."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:([\d.]+)s)?", text.strip())
    if not parts or not any(parts.groups()):
        return None
    h, m, s = (float(g or 0) for g in parts.groups())
    return 3600 * h + 60 * m + s


def main():
    command = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
    start = time.monotonic()
    points = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as p:
        for line in p.stdout:
            now = time.monotonic() - start
            sys.stderr.write(f"[{now:8.2f}] {line}")
            m = DONE.search(line)
            if m:
                points.append((now, int(m.group(1)), int(m.group(2)), seconds(m.group(3)), m.group(3)))
    wall = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"eta_check: the run exited with {p.returncode}")
    print(f"wall {wall:.2f} s")
    for share in (0.10, 0.25, 0.50):
        hit = next((pt for pt in points if pt[1] >= share * pt[2]), None)
        if hit is None or hit[3] is None:
            print(f"ETA at {share:.0%}: no trial-end line")
            continue
        now, done, total, eta, text = hit
        left = wall - now
        error = (eta - left) / left if left > 0 else float("nan")
        print(f"ETA at {share:.0%} ({done}/{total} done, {now:.1f} s in): said {text}, "
              f"really {left:.1f} s left: {error:+.0%}")


if __name__ == "__main__":
    main()
