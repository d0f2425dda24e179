#!/usr/bin/env python3
"""Bit-for-bit comparison of sweeps in rnnsweep databases: trials (status, last epoch, test metrics), epochs (loss,
accuracy, validation metrics; not their wall times) and successive-halving rungs (decisions, metric, rank).

    Scripts/compare-sweeps.py BASE.sqlite OTHER.sqlite...

Each database must hold one sweep (or the same sweeps). Exit status 1 when any OTHER differs from BASE."""
import sqlite3
import struct
import sys


def load(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    trials = db.execute("SELECT id, status, last_epoch, test_loss, test_accuracy FROM trials ORDER BY id").fetchall()
    epochs = db.execute(
        "SELECT trial_id, epoch, loss, accuracy, val_loss, val_accuracy FROM epochs ORDER BY trial_id, epoch"
    ).fetchall()
    rungs = db.execute("SELECT rung, epoch, grid_point, metric, rank, decision FROM rungs ORDER BY epoch, grid_point").fetchall()
    return {"trials": trials, "epochs": epochs, "rungs": rungs}


def bits(rows):
    """Doubles as their 8 bytes, so that equality is bit equality (and NaN equals NaN)."""
    return [tuple(struct.pack("<d", v).hex() if isinstance(v, float) else v for v in row) for row in rows]


base = load(sys.argv[1])
different = False
for path in sys.argv[2:]:
    other = load(path)
    same = {table: bits(base[table]) == bits(other[table]) for table in base}
    stopped = sum(1 for row in other["trials"] if row[1] == "stopped")
    print(f"{path}: " + ", ".join(f"{t} {'identical' if s else 'DIFFER'}" for t, s in same.items())
          + f" ({len(other['trials'])} trials, {stopped} stopped, {len(other['epochs'])} epochs)")
    different = different or not all(same.values())
sys.exit(1 if different else 0)
