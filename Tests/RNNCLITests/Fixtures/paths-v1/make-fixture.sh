#!/usr/bin/env bash
# Regenerates this fixture with a given rnnsweep binary (it was made with the release build of commit b124664):
#   v1.sqlite + v1.runs/paths-v1/<trial>/checkpoint.safetensors: trial 1 completed, trial 2 interrupted mid-run;
#   reference.sqlite: the same file run without interruption (the numbers a resumed trial 2 must reproduce).
# Never regenerate it with a newer rnnsweep: its point is to be what an older version wrote (trials keyed by
# the path data/series.npz, relative to the folder it ran in). make-data.py wrote the data.
set -euo pipefail
B=${1:?usage: make-fixture.sh RNNSWEEP_BINARY}
cd "$(dirname "$0")"
rm -rf v1.sqlite* reference.sqlite* v1.runs v1.data-cache reference-work
mkdir reference-work
"$B" run paths.yaml --workers 1 --db reference-work/reference.sqlite
mv reference-work/reference.sqlite reference.sqlite
rm -rf reference-work
"$B" run paths.yaml --workers 1 --db v1.sqlite &
coordinator=$!
# Interrupt once trial 2 has committed its second epoch.
until [ "$(sqlite3 v1.sqlite "SELECT coalesce(last_epoch, 0) FROM trials WHERE ordinal = 2" 2>/dev/null || echo 0)" -ge 2 ]; do
  sleep 0.01
done
kill -INT "$coordinator"
wait "$coordinator" || true
sqlite3 v1.sqlite "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -rf v1.sqlite-wal v1.sqlite-shm v1.runs/paths-v1/.lock v1.data-cache
sqlite3 v1.sqlite "SELECT ordinal, id, status, last_epoch FROM trials ORDER BY ordinal"
