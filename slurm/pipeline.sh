#!/bin/bash
# slurm/pipeline.sh: submits one experiment as dependent SLURM jobs, each
# sized for its step, each starting only once the step before succeeded
# (--dependency=afterok; --kill-on-invalid-dep=yes cancels the rest if a step
# fails):
#   sweep: rois -> extract -> array of sweep slices -> summary
#   cv:    rois -> extract -> array of fold slices  -> summary
#   train: rois -> extract -> train -> evaluate
#
#   slurm/pipeline.sh CONFIG.yaml RUN_DIR [--set key=value]...
#
# The mode is the config's: a top-level `sweep:` section -> sweep (a sweep of
# cross-validations with `cv: true` in it), else `cv:` -> cv, neither ->
# train; MF_MODE=sweep|cv|train overrides it.
# Needs: sbatch (a SLURM cluster), build/mammofuse (or MF_BIN), the data and
#   weights the config names; run it on a machine that submits jobs.
# Writes: nothing itself but the folder RUN_DIR/slurm/ with every job's log
#   (<job name>-<job id>.log, arrays <name>-<array id>_<task>.log) and
#   jobs.txt ("<step> <job id>" per line); prints the same lines. The jobs
#   write what slurm/<step>.sbatch says.
# Resources (environment; the scripts' #SBATCH lines are the defaults):
#   MF_SLICES=4      array tasks of a sweep or cv (slices of the task list)
#   MF_THROTTLE=4    at most this many array tasks running at once (%M)
#   MF_SBATCH="..."  sbatch options for every job, e.g. "--partition=p --account=a"
#   MF_SBATCH_ROIS, MF_SBATCH_EXTRACT, MF_SBATCH_TRAIN, MF_SBATCH_EVALUATE,
#   MF_SBATCH_ARRAY (per array task), MF_SBATCH_SUMMARY: per step, after
#   MF_SBATCH, e.g. MF_SBATCH_EXTRACT="--ntasks=64 --time=8:00:00".
# Time limits and preemption: the long steps (extract, train, the array tasks)
# save on SLURM's warning and requeue themselves (slurm/job.sh); a requeued
# job is pending again, so the jobs after it keep waiting for it.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: slurm/pipeline.sh CONFIG.yaml RUN_DIR [--set key=value]..." >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
config=$1
out=$2
shift 2
if [ ! -f "$config" ]; then
  echo "$config: no such config file" >&2
  exit 1
fi
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
mkdir -p "$out/slurm"
out=$(cd "$out" && pwd)

# A sweep: section wins: with `cv: true` in it, a sweep of cross-validations
# reads cv.folds from the cv: section too (configs/repro_cv.yaml).
mode=${MF_MODE:-}
if [ -z "$mode" ]; then
  mode=train
  if grep -Eq '^sweep:' "$config"; then
    mode=sweep
  elif grep -Eq '^cv:' "$config"; then
    mode=cv
  fi
fi
case "$mode" in
  sweep | cv | train) ;;
  *) echo "MF_MODE=$mode: expected sweep, cv or train" >&2; exit 2 ;;
esac
slices=${MF_SLICES:-4}
throttle=${MF_THROTTLE:-4}
for v in "$slices" "$throttle"; do
  if ! [[ "$v" =~ ^[1-9][0-9]*$ ]]; then
    echo "MF_SLICES/MF_THROTTLE: expected a positive integer, found '$v'" >&2
    exit 2
  fi
done

export MF_REPO=$repo
: > "$out/slurm/jobs.txt"
last=""
# submit STEP SCRIPT EXTRA_OPTIONS ARGS...: one job after the previous one.
submit() {
  local step=$1 script=$2 extra=$3
  shift 3
  local dep=()
  [ -n "$last" ] && dep=(--dependency=afterok:"$last" --kill-on-invalid-dep=yes)
  local log="$out/slurm/%x-%j.log"
  [ "$script" = array ] && log="$out/slurm/%x-%A_%a.log"
  # shellcheck disable=SC2086 # the MF_SBATCH variables hold several options
  last=$(sbatch --parsable --output="$log" "${dep[@]}" ${MF_SBATCH:-} $extra "$here/$script.sbatch" "$@")
  last=${last%%;*} # "id;cluster" on a multi-cluster setup
  echo "$step $last" | tee -a "$out/slurm/jobs.txt"
}

submit rois rois "${MF_SBATCH_ROIS:-}" "$config" "$out" "$@"
submit extract extract "${MF_SBATCH_EXTRACT:-}" "$config" "$out" "$@"
if [ "$mode" = train ]; then
  submit train train "${MF_SBATCH_TRAIN:-}" "$config" "$out" "$@"
  submit evaluate evaluate "${MF_SBATCH_EVALUATE:-}" "$config" "$out" "$@"
else
  submit "$mode" array "--job-name=mf-$mode --array=0-$((slices - 1))%$throttle ${MF_SBATCH_ARRAY:-}" \
    "$mode" "$config" "$out" "$@"
  submit summary summary "${MF_SBATCH_SUMMARY:-}" "$mode" "$config" "$out" "$@"
fi
