#!/usr/bin/env bash
# Regenerates this fixture with a given rnnsweep binary (it was made with the release build of commit c3ec9fc):
#   v1.sqlite + identity-v1/<trial>/checkpoint.safetensors: trial 1 completed, trial 2 interrupted mid-run;
#   reference.sqlite: the same file run without interruption (the numbers a resumed trial 2 must reproduce).
# Never regenerate it with a newer rnnsweep: its point is to be what an older version wrote.
set -euo pipefail
B=${1:?usage: make-fixture.sh RNNSWEEP_BINARY}
cd "$(dirname "$0")"
rm -rf v1.sqlite* reference.sqlite* identity-v1 reference-work
mkdir reference-work
"$B" run identity.yaml --workers 1 --db reference-work/reference.sqlite
mv reference-work/reference.sqlite reference.sqlite
rm -rf reference-work
"$B" run identity.yaml --workers 1 --db v1.sqlite &
coordinator=$!
# Interrupt once trial 2 has committed its second epoch.
until [ "$(sqlite3 v1.sqlite "SELECT coalesce(last_epoch, 0) FROM trials WHERE ordinal = 2" 2>/dev/null || echo 0)" -ge 2 ]; do
  sleep 0.05
done
kill -INT "$coordinator"
wait "$coordinator" || true
sqlite3 v1.sqlite "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f v1.sqlite-wal v1.sqlite-shm identity-v1/.lock
sqlite3 v1.sqlite "SELECT ordinal, id, status, last_epoch FROM trials ORDER BY ordinal"
