# train_ranks.sh: training gives bitwise-identical model.h5 (params AND the BN
# moving statistics `state`) and history.csv on 1, 2 and 4 ranks (Fusion1 with
# 4 shards per batch; Fusion2 with a short last shard and more ranks than
# shards; Fusion1 with one shard per batch, so that rank 0, which writes the
# model, computes none), and a second run finds it up to date. Sharing the
# node, the ranks cut the dense top by columns when each has a shard (here
# Fusion1 on 2 and 4 ranks, Fusion2 on 2); "2s" runs 2 ranks without that cut
# (MF_TOP_SPLIT=0: each rank its rows through the whole top), "m" by messages.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=5 --set extract.batch=16)
"$MF_BIN" rois "$cfg" --out base > /dev/null
mpirun_n 2 "$MF_BIN" extract "$cfg" "${X[@]}" --out base > /dev/null
M1=(--set model.head=fusion1 --set train.batch=16 --set train.shard=4 --set train.epochs=2 --set train.val_batch=10)
M2=(--set model.head=fusion2 --set train.batch=12 --set train.shard=5 --set train.epochs=2 --set train.val_batch=10)
M3=(--set model.head=fusion1 --set train.batch=16 --set train.shard=16 --set train.epochs=2 --set train.val_batch=10)
for m in 1 2 3; do
  for n in 1 2 4 2m 4m 2s; do
    mkdir -p m$m-r$n
    cp base/features.h5 m$m-r$n/
    v="M$m[@]"
    shm=1 split=1
    case $n in *m) shm=0 ;; *s) split=0 ;; esac
    MF_NODE_SHM=$shm MF_TOP_SPLIT=$split mpirun_n ${n%[ms]} "$MF_BIN" train "$cfg" "${X[@]}" "${!v}" --out m$m-r$n > m$m-r$n.log
    check "grep -q 'train: wrote m$m-r$n/model.h5' m$m-r$n.log"
    check "grep -q 'epoch 2/2: loss' m$m-r$n.log"
    case $n in
      2|4|2s) check "grep -q 'ranks (exchanging through node-shared memory' m$m-r$n.log" ;;
      *m) check "grep -q 'ranks (exchanging by messages)' m$m-r$n.log" ;;
    esac
    case $m-$n in
      1-2|1-4|2-2) check "grep -q 'the dense top cut by columns' m$m-r$n.log" ;;
      *) check "! grep -q 'cut by columns' m$m-r$n.log" ;;
    esac
  done
  check "$MF_TOOLS/h5cmp m$m-r1/model.h5 m$m-r2/model.h5"
  check "$MF_TOOLS/h5cmp m$m-r1/model.h5 m$m-r4/model.h5"
  check "$MF_TOOLS/h5cmp m$m-r1/model.h5 m$m-r2m/model.h5"
  check "$MF_TOOLS/h5cmp m$m-r1/model.h5 m$m-r4m/model.h5"
  check "$MF_TOOLS/h5cmp m$m-r1/model.h5 m$m-r2s/model.h5"
  check "cmp m$m-r1/history.csv m$m-r2/history.csv"
  check "cmp m$m-r1/history.csv m$m-r4/history.csv"
  check "[ \$(wc -l < m$m-r1/history.csv) = 3 ]"
  for n in 2 4; do # the moving statistics by name: h5cmp compares them too, this says which
    check "$MF_TOOLS/h5cmp m$m-r1/model.h5 m$m-r$n/model.h5 state > /dev/null"
  done
done
check "! $MF_TOOLS/h5cmp m1-r1/model.h5 m2-r1/model.h5 > /dev/null"
mpirun_n 2 "$MF_BIN" train "$cfg" "${X[@]}" "${M1[@]}" --out m1-r2 > again.txt
check "grep -q 'is up to date' again.txt"
finish
