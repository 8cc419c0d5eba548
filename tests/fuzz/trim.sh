#!/usr/bin/env bash
# trim.sh: keeps the committed corpus small (the whole of tests/fuzz/corpus
# about 1.5 MB): per reader, the smallest inputs first (by size, then name)
# up to its budget in kB. The minimised corpus of an HDF5 reader is mostly
# one-bit mutants of its full-size seeds, which add little each; the small
# inputs (truncations, headers) are kept whole. The named inputs (found-*,
# small-*: README.md) are always kept, and count first. Run after run.sh.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)/corpus
declare -A kb=([features]=500 [weights]=250 [checkpoint]=250 [model]=140 [rois]=150 [info]=150 [config]=60 [pgm]=40 [png]=40)
for r in "${!kb[@]}"; do
  [ -d "$dir/$r" ] || continue
  total=0
  while read -r size name; do
    case $name in found-* | small-*) total=$((total + size)); continue ;; esac
    if [ $((total + size)) -le $((kb[$r] * 1024)) ]; then total=$((total + size)); else rm "$dir/$r/$name"; fi
  done < <(cd "$dir/$r" && { find . -type f \( -name 'found-*' -o -name 'small-*' \) -printf '%s %f\n'
                             find . -type f ! -name 'found-*' ! -name 'small-*' -printf '%s %f\n' | sort -k1,1n -k2,2; })
  echo "$r: $(ls "$dir/$r" | wc -l) files, $((total / 1024)) kB"
done
