# slurm/job.sh: what every sbatch script of slurm/ shares (sourced, not run):
# where the binary is, how ranks start inside the allocation, and the signal
# protocol that turns SLURM's warning into a requeue.
#
# The protocol: a long job asks for `--signal=B:USR1@<seconds>` (the warning
# goes to this batch shell only) and `--requeue`. The shell passes the USR1 on
# to the running job step (srun and Open MPI's mpirun both forward USR1 to
# their ranks); mammofuse finishes the chunk or step in hand, saves and exits
# 75; the script then runs `scontrol requeue $SLURM_JOB_ID`, and the requeued
# job runs the same command, which resumes (finished work is skipped). A
# signal that arrives between two steps requeues before the next one starts.
#
# Environment (all optional):
#   MF_REPO    the mammofuse checkout (default: the one holding the submitted
#              script, as `scontrol show job` names it; else the submit folder)
#   MF_BIN     the binary (default $MF_REPO/build/mammofuse)
#   MF_LAUNCH  srun | mpirun: how ranks start. Default srun --mpi=pmix when
#              SLURM has its pmix plugin, else mpirun (Open MPI reads the
#              allocation itself)
#   MF_SRUN_MPI  srun's --mpi plugin (default pmix)
#   OPENBLAS_NUM_THREADS  default 1: one rank per core (--ntasks = cores)
# Scripts call: mf_usage "slurm/NAME.sbatch" "$@" (checks CONFIG and OUT), then
# mf_step JOB [ARGS]... once per mammofuse command.

set -u
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

mf_log() { echo "[$(date -u +%FT%TZ) job ${SLURM_JOB_ID:-none}] $*"; }

# The checkout (each script found this file in it).
MF_REPO=$(cd "${MF_REPO:-.}" && pwd)
MF_BIN=${MF_BIN:-$MF_REPO/build/mammofuse}

# mf_usage "slurm/NAME.sbatch [JOB]" "$@": the arguments after the job are
# CONFIG RUN_DIR [ARGS]...
mf_usage() {
  local name=$1
  shift
  if [ $# -lt 2 ]; then
    echo "usage: sbatch [options] $name CONFIG.yaml RUN_DIR [--set key=value]..." >&2
    exit 2
  fi
  if [ ! -x "$MF_BIN" ]; then
    echo "$MF_BIN: not an executable: build mammofuse first (cmake --build build) or set MF_BIN" >&2
    exit 1
  fi
}

# The launcher, chosen once: srun with PMIx, or mpirun inside the allocation.
if [ -z "${MF_LAUNCH:-}" ]; then
  if srun --mpi=list 2>&1 | grep -qw "${MF_SRUN_MPI:-pmix}"; then MF_LAUNCH=srun; else MF_LAUNCH=mpirun; fi
fi
case "$MF_LAUNCH" in
  srun) mf_launch=(srun --mpi="${MF_SRUN_MPI:-pmix}" --kill-on-bad-exit=0) ;;
  mpirun) mf_launch=(mpirun --bind-to none) ;;
  *) echo "MF_LAUNCH=$MF_LAUNCH: expected srun or mpirun" >&2; exit 2 ;;
esac

mf_stop=0 # a warning arrived
mf_pid="" # the running step's launcher
mf_on_signal() {
  mf_stop=1
  mf_log "warning signal: passing USR1 to the job step"
  [ -n "$mf_pid" ] && kill -USR1 "$mf_pid" 2>/dev/null
  return 0
}
trap mf_on_signal USR1 TERM

# mf_requeue: the state is saved; put the job back in the queue to resume.
# An array task is named <array id>_<task> (its bare job id may be the whole array's).
mf_requeue() {
  local id=${SLURM_JOB_ID:-}
  [ -n "${SLURM_ARRAY_JOB_ID:-}" ] && id=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}
  if [ -z "$id" ]; then
    mf_log "interrupted with the state saved (exit 75); not a SLURM job: run the same command again to resume"
    exit 75
  fi
  mf_log "interrupted with the state saved (exit 75): requeueing $id to resume"
  if ! scontrol requeue "$id"; then
    mf_log "the job cannot be requeued (submitted with --no-requeue?): submit the same command again to resume"
  fi
  sleep 2 # let slurmctld record the requeue before this shell's exit (a job seen failing cancels its afterok jobs)
  exit 75
}

# mf_step JOB [ARGS]...: one job step, `mammofuse JOB ARGS`, on every task of
# the allocation. Returns its status, except 75 (interrupted, saved), which
# requeues the job and exits.
mf_step() {
  [ "$mf_stop" = 1 ] && mf_requeue
  mf_log "${mf_launch[*]} $MF_BIN $*"
  "${mf_launch[@]}" "$MF_BIN" "$@" &
  mf_pid=$!
  local rc
  while :; do
    wait "$mf_pid"
    rc=$?
    [ "$rc" -le 128 ] && break
    # Above 128: a trapped signal interrupted wait, or the step died of one.
    kill -0 "$mf_pid" 2>/dev/null && continue
    wait "$mf_pid" # ended meanwhile: its own status (127 if already reaped)
    local r2=$?
    [ "$r2" = 127 ] || rc=$r2
    break
  done
  mf_pid=""
  mf_log "mammofuse $1: exit $rc"
  [ "$rc" = 75 ] && mf_requeue
  return "$rc"
}
