# run_demo.sh: the whole pipeline on the embedded demo with 2 ranks (smaller
# plan than the README's demo), evaluation included, then again: every step up to date.
. "$MF_SRC/tests/lib.sh"
S=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set train.epochs=2)
mpirun_n 2 "$MF_BIN" run "$MF_SRC/configs/demo.yaml" "${S[@]}" --out "$work/demo" --preview > run1.txt
for f in rois.h5 rois_preview.png features.h5 model.h5 history.csv metrics.json table.md predictions.csv roc.csv pr.csv; do check "[ -s demo/$f ]"; done
check "[ \$(grep -c . demo/history.csv) = 3 ]"
check "grep -q 'evaluate: wrote .*demo/metrics.json' run1.txt"
check "grep -q 'run: the report: .*demo/report.html' run1.txt"
mpirun_n 2 "$MF_BIN" run "$MF_SRC/configs/demo.yaml" "${S[@]}" --out "$work/demo" > run2.txt
check "grep -q 'rois: .*is up to date' run2.txt"
check "grep -q 'extract: .*is up to date' run2.txt"
check "grep -Eq 'train: .*(up to date|already)' run2.txt"
finish
