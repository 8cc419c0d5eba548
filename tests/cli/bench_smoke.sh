# bench_smoke.sh: `mammofuse bench extract` runs and prints one line per figure
# (speed itself is measured by running the benchmark, never asserted here).
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" bench extract --seconds 0.2 --batch 4 --no-peer > b.txt
check "grep -Eq '^sgemm 2048\^3: [0-9.]+ GFLOP/s' b.txt"
for t in "vgg19" "vgg16" "vgg19 blocks 1-3"; do
  check "grep -Eq '^$t 72x72: [0-9.]*[1-9][0-9.]* patches/s, [0-9.]+ GFLOP/s' b.txt"
done
expect_fail 2 "unknown option '--fast'" "$MF_BIN" bench extract --fast
expect_fail 2 "unknown benchmark 'x'" "$MF_BIN" bench x
finish
