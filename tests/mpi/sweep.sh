# sweep.sh: `mammofuse sweep` over a grid of 8 configurations (branches
# [1] and [2, 3] x fusion1/fusion2 x train.seed 1/2) on the tests' small data:
#   - each configuration's folder holds exactly the bytes a stand-alone
#     train + evaluate with the same keys writes (checked for two; the
#     stand-alone trainings with --profile, which prints where the steps'
#     time went and changes nothing);
#   - every output (each configuration's files, sweep.csv/md/html) is the same
#     on 1 rank, 2 ranks in 2 groups and 4 ranks in 2 groups of 2;
#   - a rerun says "up to date" for every configuration and changes nothing;
#   - interrupted (SIGTERM at a training step) it exits 75, and the same
#     command resumes to the same bytes as the uninterrupted run;
#   - --slice 0/2 and 1/2, then --summary-only, give the same summary; the
#     summary of a half-finished grid is refused naming the first unfinished.
. "$MF_SRC/tests/lib.sh"
mkdir cfg
{ cat "$MF_SRC/tests/fixtures/small.yaml"; cat <<'EOF'
train:
  epochs: 2
  batch: 16
evaluate:
  bootstrap: 200
sweep:
  branches: [[1], [2, 3]]
  heads: [fusion1, fusion2]
  seeds: [1, 2]
EOF
} > cfg/sw.yaml
X=(--set patches.tumor_draws=12 --set patches.normal_draws=4 --set backbone.blocks=3)
names="fusion1_b1_s1 fusion1_b1_s2 fusion1_b23_s1 fusion1_b23_s2 fusion2_b1_s1 fusion2_b1_s2 fusion2_b23_s1 fusion2_b23_s2"
files="model.h5 checkpoint.h5 history.csv metrics.json table.md predictions.csv roc.csv pr.csv report.html result.csv"

# same_run A B (tests/lib.sh): every output of sweep run B equals run A's

mpirun_n 2 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --out r2 > r2.log
check "grep -q 'sweep: 8 of 8 configurations on 2 groups of 1 rank' r2.log"
check "[ \$(ls r2/sweep | wc -l) = 8 ] && [ -s r2/sweep.csv ] && [ -s r2/sweep.md ] && [ -s r2/sweep.html ]"
check "[ \$(grep -c . r2/sweep.csv) = 9 ]"
check "[ -z \"\$(find r2 -name '*tmp*')\" ]"
for n in $names; do check "[ -s r2/sweep/$n/result.csv ]"; done
# sweep.md: 8 rows, best accuracy first; sweep.html renders in headless
# Chromium: the chart with one marker and interval per configuration, the
# table, no script, no URL, no console message
check "[ \$(grep -c '^| [0-9]' r2/sweep.md) = 8 ]"
awk -F'|' '/^\| [0-9]/ {print $10 + 0}' r2/sweep.md > acc.txt
check "[ \$(wc -l < acc.txt) = 8 ] && sort -rn acc.txt | cmp -s - acc.txt"
# the table across seeds: 4 configurations of 2 seeds, mean ± sd [min, max] from sweep.csv
check "/usr/bin/python3 - <<'PY'
import csv, re, statistics as st
rows = list(csv.DictReader(open('r2/sweep.csv')))
md = open('r2/sweep.md').read().split('## Across training seeds')[1]
got = {l.split('|')[1].strip(): l for l in md.splitlines() if l.startswith('| fusion')}
assert len(got) == 4, got
for key in got:
    g = [r for r in rows if re.sub(r'_s[0-9]+', '', r['name']) == key]
    assert len(g) == 2
    cells = [c.strip() for c in got[key].split('|')[1:-1]]
    assert cells[1] == '2'
    for col, fig in zip(cells[2:6], ['accuracy', 'tumor_recall', 'tumor_precision', 'auc']):
        v = [float(r[fig]) for r in g if r[fig] != 'nan']
        want = '%.3f ± %.3f [%.3f, %.3f]' % (st.mean(v), st.stdev(v), min(v), max(v)) if len(v) == 2 else col
        assert col == want, (key, fig, col, want)
PY"
command -v chromium > /dev/null || bad "chromium is not installed (scripts/deps.sh installs it)"
chrome dom.log --dump-dom "file://$work/r2/sweep.html" > dom.html
check "grep -q 'id=\"sweep-accuracy\"' dom.html && grep -q 'id=\"sweep-table\"' dom.html"
check "[ \$(grep -o '<g class=\"config\">' dom.html | wc -l) = 8 ] && [ \$(grep -o '<circle ' dom.html | wc -l) = 8 ]"
check "[ \$(grep -c '<tr><td>[0-9]' dom.html) = 8 ]"
check "! grep -Eiq '<script|https?://|src=|href=' r2/sweep.html"
check "! grep -Eq 'CONSOLE|Uncaught|Failed to load|ERR_' dom.log"

# stand-alone train + evaluate with the same keys: the same bytes
for spec in "fusion2 2,3 1" "fusion1 1 2"; do
  set -- $spec
  d=alone_$1_$3
  mkdir $d
  cp r2/rois.h5 r2/features.h5 $d/
  S=(--set model.head=$1 --set model.branches=[$2] --set train.seed=$3)
  "$MF_BIN" train cfg/sw.yaml "${X[@]}" "${S[@]}" --profile --out $d > $d.log # the profile changes no byte
  for b in forward backward "wgrad[+]sgd" reductions hdf5-reads other total; do
    check "grep -Eq '^  profile train $b +[0-9.]+ ms/step' $d.log"
  done
  "$MF_BIN" evaluate cfg/sw.yaml "${X[@]}" "${S[@]}" --out $d > /dev/null
  n=$1_b${2/,/}_s$3
  for f in model.h5 checkpoint.h5 history.csv metrics.json table.md predictions.csv roc.csv pr.csv report.html; do
    check "cmp alone_$1_$3/$f r2/sweep/$n/$f"
  done
done

# 1 rank; 4 ranks in groups of 2 (the store is copied: it is up to date)
for d in r1 r4 sig sl; do mkdir $d; cp r2/rois.h5 r2/features.h5 $d/; done
mpirun_n 1 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --out r1 > r1.log
check "grep -q 'extract: .*up to date' r1.log"
check "same_run r2 r1"
mpirun_n 4 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --group-ranks 2 --out r4 > r4.log
check "grep -q 'on 2 groups of 2 ranks' r4.log"
check "same_run r2 r4"

# a rerun: nothing to do
cp -a r2 r2.before
mpirun_n 2 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --out r2 > again.log
check "[ \$(grep -c ': up to date' again.log) -ge 8 ] && ! grep -q 'training on' again.log"
check "same_run r2.before r2"

# interrupted at a training step, then resumed
rc=0
MF_TEST_SIGTERM_AT_STEP=5 mpirun_n 2 -x MF_TEST_SIGTERM_AT_STEP "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --out "$work/sig" \
  > sig.log 2>&1 || rc=$?
check "[ $rc = 75 ]"
check "grep -q 'sweep: interrupted: ' sig.log"
check "[ ! -e sig/sweep.csv ]"
mpirun_n 2 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --out sig > sig2.log
check "grep -q 'resuming' sig2.log"
check "same_run r2 sig"

# job-array slices, then the summary
mpirun_n 1 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --slice 0/2 --out sl > sl0.log
check "grep -q 'slice 0/2 done (4 configurations)' sl0.log && [ ! -e sl/sweep.csv ]"
expect_fail 1 "sl/sweep: 4 of 8 configurations unfinished \(first: fusion1_b1_s2\)" \
  "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --summary-only --out sl
mpirun_n 1 "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --slice 1/2 --out sl > sl1.log
"$MF_BIN" sweep cfg/sw.yaml "${X[@]}" --summary-only --out sl > sls.log
check "same_run r2 sl"
finish
