#!/usr/bin/env bash
# A real one-node Slurm cluster on loopback for the Slurm executor's tests (recipe: Slurm 22.05 and munge from
# Debian, everything under one directory, non-default ports so it cannot collide with a real cluster).
#
#   slurm-loopback.sh start DIR   # writes DIR/slurm.conf, starts munged (if needed), slurmctld and slurmd,
#                                 # waits until the node is idle; prints `export SLURM_CONF=DIR/slurm.conf`
#   slurm-loopback.sh stop DIR    # stops what `start` started
#   slurm-loopback.sh check       # exit 0 when this machine can run it (root, packages installed)
#
# Needs root (slurmd runs jobs as their submitting user). `make test`'s set-up installs the packages.
set -euo pipefail

command=${1:?usage: slurm-loopback.sh start|stop DIR | check}

check() {
  [ "$(id -u)" -eq 0 ] || { echo "the loopback Slurm cluster needs root"; return 1; }
  for tool in slurmctld slurmd sbatch squeue scontrol munged; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install slurmctld slurmd slurm-client munge)"; return 1; }
  done
}

# Starts a daemon with no descriptor of ours but stdin/stdout/stderr. Foundation's Process on Linux learns that
# its child exited when a socket it passed down is closed (swift-corelibs-foundation#4795): a daemon keeping that
# socket (munged does) makes the caller of this script wait forever.
daemon() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec "$@"
  )
}

case "$command" in
check)
  check
  ;;
start)
  dir=${2:?usage: slurm-loopback.sh start DIR}
  check >&2 || exit 1
  mkdir -p "$dir"/{state,spool,log}
  dir=$(cd "$dir" && pwd)
  host=$(hostname -s)
  cpus=$(nproc)
  memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=rnnsweep-loopback
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
KillWait=5
MinJobAge=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  [ -f /etc/munge/munge.key ] || mungekey --create >/dev/null
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge && chown munge:munge /run/munge
    daemon munged --force </dev/null >/dev/null 2>&1
    pgrep -n munged >"$dir/munged.pid"
  fi
  export SLURM_CONF=$dir/slurm.conf
  daemon slurmctld </dev/null >/dev/null 2>>"$dir/log/slurmctld.start"
  daemon slurmd </dev/null >/dev/null 2>>"$dir/log/slurmd.start"
  for _ in $(seq 1 100); do
    if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
      echo "export SLURM_CONF=$dir/slurm.conf"
      exit 0
    fi
    sleep 0.2
  done
  echo "the loopback Slurm node did not become idle within 20 s; see $dir/log" >&2
  exit 1
  ;;
stop)
  dir=${2:?usage: slurm-loopback.sh stop DIR}
  for name in slurmd slurmctld munged; do
    if [ -f "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
  ;;
*)
  echo "usage: slurm-loopback.sh start|stop DIR | check" >&2
  exit 2
  ;;
esac
