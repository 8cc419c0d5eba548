# rois_ranks.sh: rois.h5 is byte-identical whether 1, 2 or 4 ranks made it
# (synthetic demo, and the first 40 real images).
. "$MF_SRC/tests/lib.sh"
for cfg in "$MF_SRC/tests/fixtures/small.yaml" "$MF_SRC/configs/paper.yaml --set data.limit_images=40"; do
  for n in 1 2 4; do
    mpirun_n $n "$MF_BIN" rois $cfg --out r$n > log$n.txt
  done
  check "cmp r1/rois.h5 r2/rois.h5"
  check "cmp r1/rois.h5 r4/rois.h5"
  check "[ \$($MF_TOOLS/rois_dump r1/rois.h5 | head -1 | cut -d' ' -f2) -gt 10 ]"
  rm -rf r1 r2 r4
done
finish
