#!/usr/bin/env bash
# A real Slurm on localhost, no mock: install slurm-wlm and munge when missing (apt), generate a munge key, start
# munged as the munge user, write a one-node slurm.conf (linuxproc proctrack, no task plugin, cons_tres, no
# accounting), start slurmctld and slurmd as root, submit the tiny sweep as a job array, wait, collect, check
# that every run is done, and always stop the daemons it started. Everything lives in a temp folder with its own
# ports and sockets, so a system Slurm on the machine is left alone.
#   usage: slurm_localhost.sh POLARLAB_CLI SPEC      (exit 77 = skipped: not root)
set -euo pipefail
cli=$(readlink -f "$1") spec=$(readlink -f "$2")
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: the localhost Slurm test starts slurmctld/slurmd/munged and must run as root"
  exit 77
fi
need=()
command -v slurmctld > /dev/null || need+=(slurm-wlm)
command -v munged > /dev/null || need+=(munge)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
id munge > /dev/null 2>&1 || { echo "FAIL: the munge package did not create the munge user" >&2; exit 1; }

work=$(mktemp -d /tmp/polarlab-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local rc=$?
  for f in slurmd slurmctld munged; do
    [[ -f "$work/$f.pid" ]] && kill "$(cat "$work/$f.pid")" 2> /dev/null || true
  done
  sleep 1
  for f in slurmd slurmctld munged; do
    [[ -f "$work/$f.pid" ]] && kill -KILL "$(cat "$work/$f.pid")" 2> /dev/null || true
  done
  if ((rc != 0)); then
    echo "---- slurmctld.log"; tail -n 30 "$work/slurmctld.log" 2> /dev/null || true
    echo "---- slurmd.log"; tail -n 30 "$work/slurmd.log" 2> /dev/null || true
    echo "---- munged.log"; tail -n 10 "$work/munge/munged.log" 2> /dev/null || true
    echo "---- job logs"; tail -n 20 "$work"/sweep/slurm/logs/* 2> /dev/null || true
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# munge: a fresh key, private socket, run as the munge user.
mkdir -p "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge"
chmod 755 "$work/munge"  # munged wants the socket folder searchable by all
chmod 400 "$work/munge/munge.key"
sock="$work/munge/munge.socket.2"
runuser -u munge -- munged --key-file="$work/munge/munge.key" --socket="$sock" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"
for _ in $(seq 50); do [[ -S $sock ]] && break; sleep 0.1; done
cp "$work/munge/munged.pid" "$work/munged.pid"
munge --socket="$sock" -n | unmunge --socket="$sock" > /dev/null || fail "munge cannot encode/decode a credential"

# slurm.conf: one node (this machine's real CPUs and memory), one partition, accounting off.
read -r cpus mem < <(slurmd -C | tr ' ' '\n' | awk -F= '/^CPUs=/{c=$2} /^RealMemory=/{m=$2} END{print c, m}')
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=polarlab
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=polarlab Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
ok=0
for _ in $(seq 120); do
  state=$(sinfo -h -n localhost -o %T 2> /dev/null || true)
  [[ $state == idle* ]] && { ok=1; break; }
  sleep 0.5
done
((ok)) || fail "the node never became idle (state: ${state:-unknown})"
echo "slurm up: localhost with $cpus CPUs, ${mem} MB"

# The sweep through the Slurm back end.
"$cli" sweep plan "$spec" --out "$work/sweep"
n=$(($(wc -l < "$work/sweep/runs.tsv") - 1))
# --max-array 3: the 4 runs become two array jobs (3 + 1 tasks), as a big sweep is split under MaxArraySize.
"$cli" sweep submit "$work/sweep" --slurm --partition polarlab --time 00:10:00 --cpus 1 --throttle 2 --max-array 3 \
  | tee "$work/submit.log"
jobs=$(cut -f1 "$work/sweep/slurm/jobs.tsv" | paste -sd,)
[[ $jobs == *,* ]] || fail "expected two array jobs, recorded: '$jobs'"
grep -q "^#SBATCH --array=0-2%2\$" "$work/sweep/slurm/array-0.sbatch" || fail "array line of the first job"
grep -q "^#SBATCH --array=0-0%2\$" "$work/sweep/slurm/array-1.sbatch" || fail "array line of the second job"
"$cli" sweep status "$work/sweep" | tee "$work/status-while.log"
grep -q "slurm jobs: $jobs" "$work/status-while.log" || fail "status does not show the jobs"
for _ in $(seq 600); do
  [[ -z $(squeue -h -j "$jobs" 2> /dev/null) ]] && break
  sleep 1
done
[[ -z $(squeue -h -j "$jobs" 2> /dev/null) ]] || fail "jobs $jobs still queued after 10 minutes"
"$cli" sweep collect "$work/sweep"
"$cli" sweep status "$work/sweep" | tee "$work/status.log"
grep -Eq "^ +done +$n\$" "$work/status.log" || fail "not all $n runs are done"
for d in "$work"/sweep/runs/*/; do
  grep -q '"backend": "slurm"' "$d/status.json" || fail "$d was not run by a Slurm task"
  grep -Eq "\"slurm_job\": \"(${jobs//,/|})_[0-9]+\"" "$d/status.json" || fail "$d does not name its array task"
  [[ $(grep -c 'state=done' "$d/attempts.log") == 1 ]] || fail "$d did not finish exactly once"
done
# Resubmitting submits nothing: every run is done.
"$cli" sweep submit "$work/sweep" --slurm | tee "$work/resubmit.log"
grep -q "nothing to submit" "$work/resubmit.log" || fail "a resubmission queued finished runs"
echo "PASS: $n runs through Slurm array jobs $jobs"
