#!/usr/bin/env bash
# tally.sh [campaign.tsv]: the campaign so far, per reader (the table of
# tests/fuzz/README.md): executions and wall seconds summed over every run
# that run.sh logged, and how the runs ended. Rows ending "earlier" are the
# first, fork-mode campaign (its findings are in README.md). "contained" sums
# the last column: libhdf5 faults the weights probe contained (README.md).
set -euo pipefail
log=${1:-$(dirname "$0")/campaign.tsv}
awk -F'\t' 'NR > 1 {
    r = $2; n[r] += $3; s[r] += $4; e[r, $5]++; c[r] += $7
    if (!(r in seen)) { seen[r] = 1; order[++k] = r }
  }
  END {
    print "| reader | executions | seconds | runs | crashes | leaks | timeouts | slow once | OOM | contained |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= k; i++) {
      r = order[i]
      runs = e[r, "ok"] + e[r, "crash"] + e[r, "leak"] + e[r, "timeout"] + e[r, "slow-once"] + e[r, "oom"] + e[r, "stopped"]
      printf "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", r, n[r], s[r], runs + e[r, "earlier"],
        e[r, "crash"], e[r, "leak"], e[r, "timeout"], e[r, "slow-once"], e[r, "oom"], c[r]
    }
  }' "$log"
