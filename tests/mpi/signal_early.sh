# signal_early.sh: SLURM's warning may come before a resumable job reaches
# its first chunk or step (here: while `sweep` still makes rois.h5, a step
# that never polls for it). The job must not die of the signal: it finishes
# the step in hand, stops at the next boundary (extract's first chunk) and
# exits 75, as slurm/job.sh expects before requeueing.
. "$MF_SRC/tests/lib.sh"
cat > sw.yaml << 'EOF'
seed: 1
data:
  source: synth
  synth_images: 120
backbone:
  arch: vgg19
  weights: formula
  blocks: 1
patches:
  tumor_draws: 6
  normal_draws: 2
model:
  branches: [1]
sweep:
  seeds: [1, 2]
EOF
rc=0
MF_PROGRESS_SECONDS=0 mpirun_n 2 "$MF_BIN" sweep sw.yaml --out "$work/s" > log.txt 2>&1 &
mpid=$!
for _ in $(seq 1 1200); do grep -q '^sweep: rois -> ' log.txt && break; sleep 0.05; done
check "grep -q '^sweep: rois -> ' log.txt && [ ! -e s/rois.h5 ]" # the signal comes during rois
for p in $(ranks_of s); do kill -USR1 "$p"; done
wait $mpid || rc=$?
check "[ $rc = 75 ]"
check "grep -q '^rois: wrote ' log.txt"
check "grep -q '^extract: interrupted: ' log.txt"
check "[ -s s/rois.h5 ] && [ -e s/features.h5.partial ] && [ ! -e s/sweep ]"
finish
