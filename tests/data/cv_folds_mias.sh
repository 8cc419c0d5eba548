# cv_folds_mias.sh: the cross-validation folds on the real MIAS ROI set
# (configs/paper.yaml: 207 normal, 68 benign, 51 malignant ROIs): 10 folds,
# no woman (images 2k-1 and 2k) in two folds, every fold's women of each
# worst class within one of a tenth, every ROI in a fold; the largest fold
# count is the number of women whose worst class is malignant (measured:
# 57 normal, 55 benign, 49 malignant women).
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" rois "$MF_SRC/configs/paper.yaml" --out paper > /dev/null
"$MF_TOOLS/cv_folds_dump" paper/rois.h5 10 1 > folds.txt
check "[ \$(grep -c '^[0-9]' folds.txt) = 326 ]"
# no woman in two folds: woman -> one fold
check "[ \$(awk 'NR>1 {print \$2, \$4}' folds.txt | sort -u | awk '{print \$1}' | uniq -d | wc -l) = 0 ]"
# worst class per woman, then women per (class, fold): within one of women/10
awk 'NR>1 { if (!($2 in w) || $3 > w[$2]) w[$2] = $3; f[$2] = $4 }
     END { for (x in w) { n[w[x]]++; c[w[x] "," f[x]]++ }
           bad = 0; for (k = 0; k < 3; k++) for (j = 0; j < 10; j++) { d = c[k "," j] - n[k] / 10; if (d > 1 || d < -1) bad++ }
           print "women", n[0], n[1], n[2], "bad", bad }' folds.txt > strata.txt
cat strata.txt
check "grep -q 'bad 0$' strata.txt"
m=$(awk '{print $4}' strata.txt)
check "grep -qx \"max_folds $m 2\" folds.txt"
check "[ \$(awk 'NR>1 {print \$4}' folds.txt | sort -u | wc -l) = 10 ]"
finish
