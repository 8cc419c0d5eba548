#!/bin/bash
# Submits the pipeline as dependent jobs: rois+extract (many cores), then the
# training/evaluation steps (fewer), each resuming on requeue.
#   slurm/pipeline.sh configs/paper.yaml runs/paper
set -euo pipefail
CONFIG=${1:?config} OUT=${2:?run folder}
here=$(cd "$(dirname "$0")" && pwd)
jid=$(sbatch --parsable --export=ALL,CONFIG="$CONFIG",OUT="$OUT" "$here/extract.sbatch")
echo "extract: job $jid"
if [ -f "$here/train.sbatch" ]; then
  tid=$(sbatch --parsable --dependency=afterok:"$jid" --export=ALL,CONFIG="$CONFIG",OUT="$OUT" "$here/train.sbatch")
  echo "train: job $tid (after $jid)"
fi
