# bench_smoke.sh: `mammofuse bench extract` and `bench train --profile` run and
# print one line per figure, the profile's buckets and the peak resident
# memory (speed itself is measured by running the benchmark, never asserted
# here).
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" bench extract --seconds 0.2 --batch 4 --no-peer > b.txt
check "grep -Eq '^sgemm 2048\^3: [0-9.]+ GFLOP/s' b.txt"
for t in "vgg19" "vgg16" "vgg19 blocks 1-3"; do
  check "grep -Eq '^$t 72x72: [0-9.]*[1-9][0-9.]* patches/s, [0-9.]+ GFLOP/s' b.txt"
done
check "grep -Eq '^peak resident memory: [0-9]+ MB \(rank 0\)' b.txt"
# one tower with its per-layer profile, on 2 threads (the threads' count is printed)
OPENBLAS_NUM_THREADS=2 "$MF_BIN" bench extract --seconds 0.2 --batch 3 --no-peer --tower vgg19-3 --profile > p.txt
check "grep -Eq '^bench extract: 1 ranks x 2 threads' p.txt"
check "grep -Eq '^vgg19 blocks 1-3 72x72: [0-9.]*[1-9][0-9.]* patches/s, .*; [0-9.]*[1-9][0-9.]* patches per CPU-second' p.txt"
check "! grep -Eq '^vgg16 72x72' p.txt"
for l in block1_conv1 block1_conv2 block1_pool block3_conv4 block3_pool; do
  check "grep -Eq '^  $l +[0-9.]+ ms +[0-9.]+%' p.txt"
done
expect_fail 2 "--tower 'vgg11': expected vgg19, vgg16 or vgg19-3" "$MF_BIN" bench extract --tower vgg11
"$MF_BIN" bench train --seconds 0.2 --no-peer --profile > t.txt
for m in 1 2; do
  check "grep -Eq '^fusion$m train: [0-9.]*[1-9][0-9.]* samples/s \(1 rank, batch 32, shard 8\): [0-9.]+ GFLOP/s, [0-9]+% of the sgemm; median step [0-9.]+ ms = [0-9]+ samples/s$' t.txt"
  for b in forward backward "wgrad[+]sgd" reductions sgd-rest hdf5-reads other total; do
    check "grep -Eq '^  profile fusion$m $b +[0-9.]+ ms/step' t.txt"
  done
done
check "grep -Eq '^peak resident memory: [0-9]+ MB \(rank 0\)' t.txt"
expect_fail 2 "unknown argument '--fast'" "$MF_BIN" bench train --fast
# bench sweep on 2 ranks in 2 groups: one line per head with the groups' sum
mpirun_n 2 "$MF_BIN" bench sweep --seconds 0.3 --no-peer > s.txt
check "grep -Eq '^a training: 5 epochs x 6459 steps x 32 = 1033440 samples' s.txt"
for m in 1 2; do
  check "grep -Eq '^sweep fusion$m: 2 groups of 1 rank side by side: [0-9.]*[1-9][0-9.]* samples/s in all = [0-9.]+ trainings/hour' s.txt"
done
expect_fail 2 "unknown argument '--fast'" "$MF_BIN" bench sweep --fast
expect_fail 2 "unknown option '--fast'" "$MF_BIN" bench extract --fast
expect_fail 2 "unknown benchmark 'x'" "$MF_BIN" bench x
finish
