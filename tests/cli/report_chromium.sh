# report_chromium.sh: `mammofuse evaluate` writes report.html, one
# self-contained page (no URL, no script), that headless Chromium renders
# without a console message: the tables (metrics, the paper's row or a note
# that it has none, confusion), the ROC, PR and training SVGs, one thumbnail per evaluated ROI
# with its PNG as a data: URI and its 25 grid votes. Then again without
# history.csv and rois.h5: a note instead of the training curves, the
# thumbnails without images. Set MF_REPORT_KEEP=DIR to keep the page and the
# screenshots there.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
# Every ROI of the 27 evaluated (grid_for all), so the page is a full one;
# two VGG blocks keep the extraction short (the paper has no row for
# [1, 2]: mpi.evaluate_ranks checks a page with the paper's row).
X=(--set patches.tumor_draws=4 --set patches.normal_draws=1 --set patches.grid_for=all --set backbone.blocks=2
   --set model.branches=1,2 --set extract.batch=32 --set train.batch=16 --set train.epochs=3
   --set evaluate.splits=0,1,2 --set evaluate.bootstrap=300)
command -v chromium > /dev/null || { bad "chromium is not installed (scripts/deps.sh installs it)"; finish; }
"$MF_BIN" rois "$cfg" --out run > /dev/null
"$MF_BIN" extract "$cfg" "${X[@]}" --out run > /dev/null
"$MF_BIN" train "$cfg" "${X[@]}" --out run > /dev/null
"$MF_BIN" evaluate "$cfg" "${X[@]}" --out run > eval.log
check "[ -s run/report.html ] && [ -z \"\$(ls run | grep tmp)\" ]"
nroi=$(($(grep -c . run/predictions.csv) - 1))
check "[ $nroi -ge 20 ]"
# self-contained: no URL of any kind, no script, no external reference; the
# only href attributes are the thumbnails' data: URIs
check "! grep -Eiq 'https?://|ftp://|file:|//[a-z0-9.-]+\.[a-z]{2,}/|src=|url\(|@import|<script|<link|<iframe|<object|<embed' run/report.html"
grep -o 'href="[^"]\{0,30\}' run/report.html | sort | uniq -c > hrefs.txt
check "[ \$(wc -l < hrefs.txt) = 1 ] && grep -Eq '^ *$nroi href=\"data:image/png;base64,' hrefs.txt"

page="file://$work/run/report.html"
chrome dom.log --dump-dom "$page" > dom.html
chrome shot.log --screenshot="$work/shot.png" --window-size=1200,3000 "$page" > /dev/null
for id in roc pr training metrics auc confusion; do check "grep -q 'id=\"$id\"' dom.html"; done
check "[ \$(grep -o '<svg class=\"thumb\" id=\"roi-[0-9]*\"' dom.html | wc -l) = $nroi ]"
check "[ \$(grep -o '<rect class=\"[tn]v\"' dom.html | wc -l) = $((25 * nroi)) ]"
check "grep -q '<tr class=\"paper\"><td class=\"k\">paper</td><td colspan=\"5\" class=\"k\">the paper has no row for VGG16 fusion1 \[1, 2\]' dom.html"
check "grep -q '<path class=\"band\"' dom.html"
check "[ \$(grep -c '<script' dom.html) = 0 ]"
# no console message at all (the page has no script), no failed load
check "! grep -Eq 'CONSOLE|Uncaught|Failed to load|ERR_' dom.log shot.log"
check "[ -s shot.png ] && [ \"\$(head -c 8 shot.png | od -An -c | tr -d ' ')\" = '211PNG\r\n032\n' ]"

# without history.csv and rois.h5
mkdir bare && cp run/features.h5 run/model.h5 bare/
"$MF_BIN" evaluate "$cfg" "${X[@]}" --out bare > /dev/null
check "cmp run/metrics.json bare/metrics.json"
chrome dom2.log --dump-dom "file://$work/bare/report.html" > dom2.html
check "grep -q 'id=\"no-history\"' dom2.html && ! grep -q 'id=\"training\"' dom2.html"
check "[ \$(grep -o '<svg class=\"thumb\"' dom2.html | wc -l) = $nroi ] && ! grep -q '<image' dom2.html"
check "[ \$(grep -o '<rect class=\"noimg\"' dom2.html | wc -l) = $nroi ]"
check "! grep -Eq 'CONSOLE|Uncaught|Failed to load|ERR_' dom2.log"
if [ -n "${MF_REPORT_KEEP:-}" ]; then
  mkdir -p "$MF_REPORT_KEEP" && cp run/report.html shot.png "$MF_REPORT_KEEP/"
  cp bare/report.html "$MF_REPORT_KEEP/report_bare.html"
fi
finish
