# rois_counts.sh: the paper's ROI set from the real MIAS data: 207 Normal and
# 119 Tumor ROIs (68 benign, 51 malignant), the split's counts, and the
# released set's 326 ROIs with their split.
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" rois "$MF_SRC/configs/paper.yaml" --out paper --preview > log.txt
cat log.txt
"$MF_TOOLS/rois_dump" paper/rois.h5 > dump.txt
check "grep -qx 'n 326 size 120' dump.txt"
check "grep -qx 'class 207 68 51 0' dump.txt"
# per class 60/20/20 with ceil: B 41/14/13, M 31/10/10, N 125/41/41
check "grep -qx 'split_class 125 41 31 0 41 14 10 0 41 13 10 0' dump.txt"
check "grep -q '4 abnormal rows without coordinates skipped' log.txt"
check "[ -s paper/rois_preview.png ]"
"$MF_BIN" rois "$MF_SRC/configs/paper_woman.yaml" --out woman > /dev/null
"$MF_TOOLS/rois_dump" -v woman/rois.h5 > wdump.txt
check "grep -qx 'class 207 68 51 0' wdump.txt"
# no woman on two sides: woman id (col 3) -> one split (col 8)
check "[ \$(awk 'NF==10 {print \$3, \$8}' wdump.txt | sort -u | awk '{print \$1}' | uniq -d | wc -l) = 0 ]"
"$MF_BIN" rois "$MF_SRC/configs/released.yaml" --out released > /dev/null
"$MF_TOOLS/rois_dump" released/rois.h5 > rdump.txt
check "grep -qx 'n 326 size 120' rdump.txt"
check "grep -qx 'split_class 125 0 0 72 41 0 0 24 41 0 0 23' rdump.txt"
finish
