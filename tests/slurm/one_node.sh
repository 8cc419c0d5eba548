# one_node.sh: the slurm/ scripts on a real one-node SLURM (Debian's slurm-wlm
# and munge), started here under the test's temporary folder:
#   - slurm/pipeline.sh on a small sweep of the demo data: rois -> extract ->
#     a 2-task job array of sweep slices -> summary, chained by afterok; every
#     job completed, in order, each slice trained its own configurations;
#   - slurm/pipeline.sh on a 3-fold cross-validation (2 array slices): the
#     same cv.csv as slurm/cv.sbatch in one allocation;
#   - the mpirun launcher (MF_LAUNCH=mpirun) makes the same rois.h5 as srun;
#   - the train mode (rois -> extract -> train -> evaluate) through mpirun,
#     the train job warned (USR1 to its batch shell), requeued and resumed;
#   - an array throttled to one task at a time runs its tasks one after the
#     other; a failing first step cancels the steps after it;
#   - slurm/sweep.sbatch with a one-minute time limit and --signal=B:USR1@55:
#     SLURM's warning reaches the ranks through the batch shell, the sweep
#     saves and exits 75, the job requeues itself, resumes, and its sweep.csv,
#     models and histories equal the uninterrupted pipeline's.
# munged runs as the munge user with its own key and socket in the temporary
# folder; slurmctld and slurmd on free ports; all three are stopped by their
# pids on exit, after our jobs are cancelled, whatever failed. If munge or
# SLURM cannot start, the test fails with one line saying which and why.
# Timing: SLURM checks time limits every ~30 s (slurmctld's "Testing job time
# limits" at debug2), so the interrupted job is submitted ~11 s before a
# check, and its work is sized to outlast that. A requeued job waits ~2 min
# (BeginTime) before it may start again: the test, as an administrator
# would, lets it start at once with time to finish (scontrol update
# StartTime=now TimeLimit=10), so it is interrupted once.
. "$MF_SRC/tests/lib.sh"
S="$work/cluster"
daemons=()   # "name pidfile" of what this test started
cluster_up=0

die() { echo "FAIL: $*" >&2; exit 1; }

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
stop_pid() { # stop_pid PID: TERM, then KILL after 10 s
  local p=$1
  pid_alive "$p" || return 0
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do pid_alive "$p" || return 0; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
}
cleanup() {
  set +e
  if [ "$cluster_up" = 1 ]; then
    scancel --user="$(id -un)" 2>/dev/null
    for _ in $(seq 1 60); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  local i
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do # slurmd, slurmctld, munged
    stop_pid "$(cat "${daemons[$i]#* }" 2>/dev/null)"
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- pipeline.sh's own errors (no SLURM needed)
expect_fail 2 '^usage: slurm/pipeline.sh CONFIG.yaml RUN_DIR' bash "$MF_SRC/slurm/pipeline.sh" only-one
expect_fail 1 '^nope.yaml: no such config file$' bash "$MF_SRC/slurm/pipeline.sh" nope.yaml out
check "[ ! -e out ]"

# ---- the cluster
for c in munged mungekey munge unmunge slurmctld slurmd sbatch srun scontrol squeue scancel sinfo runuser python3; do
  command -v "$c" > /dev/null || [ -x "/usr/sbin/$c" ] ||
    die "SLURM cannot run here: '$c' is missing (scripts/deps.sh installs slurm-wlm and munge)"
done
export PATH="$PATH:/usr/sbin"
id munge > /dev/null 2>&1 || die "munge cannot run here: no 'munge' user (the munge package creates it; scripts/deps.sh)"
chmod 755 "$work" # munged, as the munge user, must reach its folder
mkdir -p "$S/munge" "$S/state" "$S/spool" "$S/log"
chown munge:munge "$S/munge"
runuser -u munge -- mungekey --create --keyfile="$S/munge/munge.key" 2> "$S/mungekey.err" ||
  die "munge cannot run here: mungekey failed: $(head -1 "$S/mungekey.err")"
sock="$S/munge/munge.socket"
daemons+=("munged $S/munge/munged.pid")
runuser -u munge -- munged --socket="$sock" --key-file="$S/munge/munge.key" --seed-file="$S/munge/munge.seed" \
  --log-file="$S/munge/munged.log" --pid-file="$S/munge/munged.pid" 2> "$S/munged.err" ||
  die "munged did not start: $(head -1 "$S/munged.err")"
munge -S "$sock" -n 2> "$S/munge.err" | unmunge -S "$sock" > "$S/unmunge.out" 2>&1 ||
  die "munged started but does not answer: $(head -1 "$S/munge.err") $(head -1 "$S/unmunge.out")"

# Two free TCP ports, so the test never meets another SLURM on this machine.
read -r p1 p2 < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
cat > "$S/slurm.conf" << EOF
ClusterName=mftest
SlurmctldHost=localhost
SlurmctldPort=$p1
SlurmdPort=$p2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
SlurmctldDebug=debug2
ReturnToService=2
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
# Only our cluster: no SLURM variables of an enclosing job.
for v in $(compgen -e | grep '^SLURM_' || true); do unset "$v"; done
export SLURM_CONF="$S/slurm.conf"
daemons+=("slurmctld $S/slurmctld.pid")
slurmctld -f "$SLURM_CONF" 2> "$S/slurmctld.err" || die "slurmctld did not start: $(head -1 "$S/slurmctld.err")"
daemons+=("slurmd $S/slurmd.pid")
slurmd -f "$SLURM_CONF" -N localhost 2> "$S/slurmd.err" || die "slurmd did not start: $(head -1 "$S/slurmd.err")"
cluster_up=1
state=""
for _ in $(seq 1 60); do
  state=$(sinfo -h -o %T 2> /dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || die "SLURM did not start: node state '$state' after 30 s; $(grep -hiE 'error|fatal' "$S"/log/*.log | tail -1)"

# The scripts pick srun --mpi=pmix when SLURM has the plugin, else mpirun.
if srun --mpi=list 2>&1 | grep -qw pmix; then
  echo "srun: the pmix plugin is there: the scripts start ranks with srun --mpi=pmix"
else
  echo "srun: no pmix plugin here ($(srun --mpi=list 2>&1 | tr '\n' ' ')): the scripts start ranks with mpirun"
fi

# field JOB KEY: KEY=value of `scontrol show job` (one line per array task)
field() { scontrol show job -o "$1" 2> /dev/null | grep -o " $2=[^ ]*" | cut -d= -f2- || true; }
epoch_of() { date -d "$1" +%s; }
# wait_jobs SECONDS: until our queue is empty, and stays so for 3 s (a job
# being requeued may leave squeue for a moment); a requeued job (pending for
# its BeginTime) is let start at once, with 10 minutes.
nudged=0
wait_jobs() {
  local end=$((SECONDS + $1)) id empty=0
  while [ $empty -lt 3 ]; do
    [ $SECONDS -ge $end ] && return 1
    if [ -n "$(squeue -h 2> /dev/null)" ]; then empty=0; else empty=$((empty + 1)); fi
    for id in $(squeue -h -t PD -o '%i %r' 2> /dev/null | awk '$2 == "BeginTime" {print $1}'); do
      scontrol update JobId="$id" StartTime=now TimeLimit=10 && nudged=$((nudged + 1))
    done
    sleep 1
  done
}
# wait_final JOB SECONDS: until the job is in a final state (a requeued job
# goes back to pending and runs again), nudging as wait_jobs does.
wait_final() {
  local end=$((SECONDS + $2))
  while :; do
    case "$(field "$1" JobState)" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
    [ $SECONDS -ge $end ] && return 1
    wait_jobs 5 > /dev/null 2>&1 || true
  done
  wait_jobs $((end - SECONDS > 5 ? end - SECONDS : 5))
}

# ---- the pipeline on a small sweep of the demo data
cat > "$work/sweep.yaml" << 'EOF'
# The demo's synthetic data, smaller; a sweep of 6 trainings long enough
# (epochs) to be interrupted by SLURM's warning.
seed: 1
data:
  source: synth
  synth_images: 40
split:
  mode: paper
  train: 0.4
  val: 0.2
backbone:
  arch: vgg19
  weights: formula
  blocks: 1
patches:
  tumor_draws: 6
  normal_draws: 2
  draws_for: trainval
extract:
  batch: 32
model:
  head: fusion1
  branches: [1]
train:
  epochs: 300
evaluate:
  bootstrap: 200
sweep:
  lr: [0.0001, 0.001]
  seeds: [1, 2, 3]
EOF
t0=$SECONDS
MF_SBATCH="--ntasks=2" MF_SBATCH_ARRAY="--ntasks=1" MF_SBATCH_SUMMARY="--ntasks=1" MF_SLICES=2 MF_THROTTLE=2 \
  bash "$MF_SRC/slurm/pipeline.sh" sweep.yaml "$work/pipe" > pipe.txt
check "[ \"\$(cut -d' ' -f1 pipe.txt | tr '\n' ' ')\" = 'rois extract sweep summary ' ]"
check "cmp pipe.txt pipe/slurm/jobs.txt"
job_of() { awk -v s="$1" '$1 == s {print $2}' "$2"; } # job_of STEP FILE
j_rois=$(job_of rois pipe.txt) j_ext=$(job_of extract pipe.txt) j_arr=$(job_of sweep pipe.txt) j_sum=$(job_of summary pipe.txt)
check "[ \"\$(field $j_ext Dependency)\" = 'afterok:${j_rois}(unfulfilled)' ]"
wait_jobs 400 || bad "pipeline: jobs still queued after 400 s: $(squeue -h | tr '\n' ';')"
echo "pipeline: $((SECONDS - t0)) s"
for j in $j_rois $j_ext $j_arr $j_sum; do
  check "[ \"\$(field $j JobState | sort -u)\" = COMPLETED ] && [ \"\$(field $j ExitCode | sort -u)\" = 0:0 ]"
done
check "[ \$(field $j_arr JobState | grep -c COMPLETED) = 2 ]"
# afterok: each step started after the one before ended
prev_end=$(epoch_of "$(field $j_rois EndTime)")
for j in $j_ext $j_arr $j_sum; do
  check "[ $(epoch_of "$(field $j StartTime | sort | head -1)") -ge $prev_end ]"
  prev_end=$(epoch_of "$(field $j EndTime | sort | tail -1)")
done
for f in rois.h5 features.h5 sweep.csv sweep.md sweep.html; do check "[ -s pipe/$f ]"; done
names=$(ls pipe/sweep 2> /dev/null | tr '\n' ' ')
check "[ \$(echo $names | wc -w) = 6 ]"
for n in $names; do check "[ -s pipe/sweep/$n/model.h5 ] && [ -s pipe/sweep/$n/result.csv ]"; done
check "[ \$(grep -c . pipe/sweep.csv) = 7 ]"
check "[ -s pipe/slurm/mf-rois-$j_rois.log ] && [ -s pipe/slurm/mf-summary-$j_sum.log ]"
# the two slices: disjoint halves of the grid, in one sweep folder
for i in 0 1; do
  check "grep -q 'sweep: slice $i/2 done' pipe/slurm/mf-sweep-${j_arr}_$i.log"
  grep -o 'sweep: [^ ]*: done' "pipe/slurm/mf-sweep-${j_arr}_$i.log" | cut -d' ' -f2 | tr -d : | sort > slice$i.txt || true
  check "[ \$(grep -c . slice$i.txt) = 3 ]"
done
check "[ \"\$(sort slice0.txt slice1.txt | tr '\n' ' ')\" = \"\$(echo $names | tr ' ' '\n' | sort | tr '\n' ' ')\" ]"
check "grep -q 'sweep: wrote .*pipe/sweep.csv' pipe/slurm/mf-summary-$j_sum.log"
check "grep -q 'srun --mpi=pmix' pipe/slurm/mf-extract-$j_ext.log || grep -q ' mpirun ' pipe/slurm/mf-extract-$j_ext.log"

# ---- the pipeline on a cross-validation (3 folds in 2 array slices), and
# the same folds in one allocation (cv.sbatch): the same summary
cat > "$work/cv.yaml" << 'EOF'
seed: 1
data:
  source: synth
  synth_images: 40
backbone:
  arch: vgg19
  weights: formula
  blocks: 1
patches:
  tumor_draws: 6
  normal_draws: 2
  draws_for: all
  grid_for: all
  augment_for: all
model:
  head: fusion1
  branches: [1]
train:
  epochs: 3
evaluate:
  bootstrap: 200
cv:
  folds: 3
EOF
t0=$SECONDS
MF_SBATCH="--ntasks=2" MF_SBATCH_ARRAY="--ntasks=1" MF_SBATCH_SUMMARY="--ntasks=1" MF_SLICES=2 \
  bash "$MF_SRC/slurm/pipeline.sh" cv.yaml "$work/cvp" > cv.txt
check "[ \"\$(cut -d' ' -f1 cv.txt | tr '\n' ' ')\" = 'rois extract cv summary ' ]"
wait_jobs 300 || bad "cv pipeline: jobs still queued after 300 s"
echo "cv pipeline: $((SECONDS - t0)) s"
for j in $(cut -d' ' -f2 cv.txt); do
  check "[ \"\$(field $j JobState | sort -u)\" = COMPLETED ] && [ \"\$(field $j ExitCode | sort -u)\" = 0:0 ]"
done
j_cv=$(job_of cv cv.txt)
check "grep -q 'cv: fold 0 of 3' cvp/slurm/mf-cv-${j_cv}_0.log && grep -q 'cv: fold 2 of 3' cvp/slurm/mf-cv-${j_cv}_0.log"
check "grep -q 'cv: fold 1 of 3' cvp/slurm/mf-cv-${j_cv}_1.log && ! grep -q 'cv: fold [02] of 3' cvp/slurm/mf-cv-${j_cv}_1.log"
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "[ -s cvp/$f ]"; done
check "[ \$(grep -c . cvp/cv.csv) -ge 4 ]"
mkdir cvone
cp cvp/rois.h5 cvp/features.h5 cvone/
sbatch --wait --quiet --ntasks=2 --output="$work/cvone.log" "$MF_SRC/slurm/cv.sbatch" cv.yaml "$work/cvone" ||
  bad "cv.sbatch failed: $(tail -3 cvone.log)"
check "grep -q 'extract: .* is up to date' cvone.log && grep -q 'mammofuse cv: exit 0' cvone.log"
check "cmp cvp/cv.csv cvone/cv.csv && cmp cvp/cv_predictions.csv cvone/cv_predictions.csv"

# ---- the mpirun launcher inside an allocation: the same rois.h5
MF_LAUNCH=mpirun sbatch --wait --quiet --ntasks=2 --output="$work/mpirun.log" \
  "$MF_SRC/slurm/rois.sbatch" sweep.yaml "$work/viampirun" || bad "rois.sbatch with MF_LAUNCH=mpirun failed: $(tail -3 mpirun.log)"
check "grep -q '] mpirun ' mpirun.log"
check "cmp pipe/rois.h5 viampirun/rois.h5"

# ---- a throttle of 1: the array's tasks one after the other (slices of a
# finished sweep: every configuration up to date, nothing rewritten)
cp pipe/sweep.csv sweep_before.csv
jt=$(sbatch --parsable --wait --array=0-1%1 --ntasks=1 --job-name=mf-throttle --output="$work/throttle-%A_%a.log" \
  "$MF_SRC/slurm/array.sbatch" sweep sweep.yaml "$work/pipe") || bad "throttled array failed"
check "[ \"\$(field $jt ArrayTaskThrottle | sort -u)\" = 1 ]"
s0=$(epoch_of "$(field "${jt}_0" StartTime)") e0=$(epoch_of "$(field "${jt}_0" EndTime)")
s1=$(epoch_of "$(field "${jt}_1" StartTime)") e1=$(epoch_of "$(field "${jt}_1" EndTime)")
check "[ $s1 -ge $e0 ] || [ $s0 -ge $e1 ]"
check "[ \$(cat throttle-${jt}_*.log | grep -c 'up to date') = 6 ]"
check "cmp sweep_before.csv pipe/sweep.csv"

# ---- the train mode, through mpirun: rois and extract up to date; the train
# job warned by hand as --signal=B: does (USR1 to the batch shell), saved,
# requeued and resumed; then evaluate (200 epochs of ~0.1 s: with 60, a
# loaded machine once failed the resume check, likely the warning arriving
# after the last epoch)
mkdir trainrun
cp pipe/rois.h5 pipe/features.h5 trainrun/
MF_MODE=train MF_LAUNCH=mpirun MF_SBATCH="--ntasks=2" bash "$MF_SRC/slurm/pipeline.sh" sweep.yaml "$work/trainrun" \
  --set train.epochs=200 > train.txt
check "[ \"\$(cut -d' ' -f1 train.txt | tr '\n' ' ')\" = 'rois extract train evaluate ' ]"
j_tr=$(job_of train train.txt) j_ev=$(job_of evaluate train.txt)
tlog="trainrun/slurm/mf-train-$j_tr.log"
for _ in $(seq 1 600); do grep -q '^train: epoch 2/' "$tlog" 2> /dev/null && break; sleep 0.2; done
scancel --batch --signal=USR1 "$j_tr" || bad "scancel --batch --signal=USR1 $j_tr failed"
wait_jobs 300 || bad "train pipeline: jobs still queued after 300 s"
check "grep -q 'rois: .* is up to date' trainrun/slurm/mf-rois-$(job_of rois train.txt).log"
check "grep -q 'extract: .* is up to date' trainrun/slurm/mf-extract-$(job_of extract train.txt).log"
check "grep -q '] mpirun ' $tlog && grep -q 'on 2 ranks' $tlog"
check "grep -q 'warning signal: passing USR1' $tlog && grep -q 'mammofuse train: exit 75' $tlog"
check "grep -q 'train: resuming' $tlog && grep -q 'mammofuse train: exit 0' $tlog"
check "[ \"\$(field $j_tr Restarts)\" = 1 ] && [ \"\$(field $j_tr JobState)\" = COMPLETED ]"
check "[ \"\$(field $j_ev JobState)\" = COMPLETED ] && [ -s trainrun/metrics.json ] && [ -s trainrun/report.html ]"
check "[ \$(grep -c . trainrun/history.csv) = 201 ]"

# ---- the time limit: warned, saved, requeued, resumed, the same result
mkdir int
cp pipe/rois.h5 pipe/features.h5 int/
# Submit ~11 s before slurmctld's next time-limit check: the warning (due 5 s
# after the start) then comes at that check, well before the sweep ends. The
# failing pipeline runs while the test waits for that moment.
last=$(grep 'Testing job time limits' "$S/log/slurmctld.log" | tail -1 | sed 's/^\[\([^]]*\)\].*/\1/')
# -- meanwhile, a failing first step cancels the rest (a bad key: rois exits 1)
sed 's/^  synth_images: 40/  synth_images: many/' sweep.yaml > bad.yaml
MF_SBATCH="--ntasks=1" MF_SLICES=2 bash "$MF_SRC/slurm/pipeline.sh" bad.yaml "$work/bad" > bad.txt
wait_jobs 60 || bad "failed pipeline: jobs still queued"
b_rois=$(job_of rois bad.txt) b_ext=$(job_of extract bad.txt)
check "[ \"\$(field $b_rois JobState)\" = FAILED ] && [ \"\$(field $b_rois ExitCode)\" = 1:0 ]"
check "grep -q \"key 'data.synth_images'\" bad/slurm/mf-rois-$b_rois.log"
check "[ \"\$(field $b_ext JobState)\" = CANCELLED ]"
check "[ ! -e bad/rois.h5 ]"

if [ -n "$last" ]; then
  next=$(epoch_of "$last")
  while [ $((next - $(date +%s))) -lt 12 ]; do next=$((next + 30)); done
  sleep $((next - 11 - $(date +%s)))
else
  echo "slurmctld.log shows no time-limit check yet: submitting without aiming"
fi
t0=$SECONDS
nudged=0
ji=$(sbatch --parsable --ntasks=2 --time=1 --signal=B:USR1@55 --output="$work/int/slurm-%j.log" \
  "$MF_SRC/slurm/sweep.sbatch" sweep.yaml "$work/int")
wait_final "$ji" 400 || bad "interrupted sweep: not finished after 400 s"
log="int/slurm-$ji.log"
stamp() { grep -m1 "$1" "$log" | sed 's/^\[\([^ ]*\) .*/\1/'; } # the first line's time
if grep -q 'warning signal: passing USR1 to the job step' "$log"; then
  ok
  echo "interrupted sweep: $((SECONDS - t0)) s; warned $(($(epoch_of "$(stamp 'warning signal')") - $(epoch_of "$(stamp ' srun \| mpirun ')"))) s" \
    "after its start; requeued $(field "$ji" Restarts) time(s); $(grep -m1 'sweep: interrupted' "$log")"
else
  bad "no warning reached the sweep: it ended before SLURM's time-limit check (a machine too fast for its epochs?)"
fi
check "grep -q 'sweep: interrupted: ' $log"
check "grep -q 'mammofuse sweep: exit 75' $log"
check "grep -q 'requeueing $ji to resume' $log"
check "[ \$(grep -c '] srun \\| mpirun ' $log) -ge 2 ]" # the same command started again
check "[ \"\$(field $ji Restarts)\" -ge 1 ] && [ $nudged -ge 1 ]"
check "[ \"\$(field $ji JobState)\" = COMPLETED ] && [ \"\$(field $ji ExitCode)\" = 0:0 ]"
check "grep -q 'mammofuse sweep: exit 0' $log"
check "cmp pipe/sweep.csv int/sweep.csv"
for n in $names; do
  check "$MF_TOOLS/h5cmp pipe/sweep/$n/model.h5 int/sweep/$n/model.h5 > /dev/null"
  check "cmp pipe/sweep/$n/history.csv int/sweep/$n/history.csv"
  check "cmp pipe/sweep/$n/predictions.csv int/sweep/$n/predictions.csv"
done
check "[ -z \"\$(find int -name '*tmp*' -o -name '*.partial')\" ]"
finish
