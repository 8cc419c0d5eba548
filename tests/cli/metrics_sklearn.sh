# cli/metrics_sklearn.sh: scikit-learn 1.2 as the oracle of core/metrics.c.
# metrics_sklearn.py makes ~50 cases with a fixed numpy seed (n 2..2000, ties,
# imbalance, all scores equal, a class absent), runs tools/metrics_dump on
# each and compares every figure and curve point to 1e-12; figures
# scikit-learn leaves undefined must be NaN on the C side. Debian's python
# (python3-sklearn, python3-numpy), not whatever python3 is first on PATH.
. "$MF_SRC/tests/lib.sh"
py=/usr/bin/python3
rc=0
"$py" "$MF_SRC/tests/cli/metrics_sklearn.py" "$MF_TOOLS/metrics_dump" > results.txt 2> py_err.txt || rc=$?
while read -r verdict rest; do
  if [ "$verdict" = PASS ]; then ok; else bad "$verdict $rest"; fi
done < results.txt
check "[ \$(grep -c '^PASS ' results.txt) -ge 50 ]"
if [ "$rc" != 0 ] && ! grep -q '^FAIL ' results.txt; then bad "metrics_sklearn.py exited $rc: $(head -c 600 py_err.txt)"; fi
finish
