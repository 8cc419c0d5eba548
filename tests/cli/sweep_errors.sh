# sweep_errors.sh: a bad sweep grid or command line is one line naming the
# file, the line and the key (or the flag), exit 1 (2 for usage), and nothing
# started: no run folder is made.
. "$MF_SRC/tests/lib.sh"
base() { cat "$MF_SRC/tests/fixtures/small.yaml"; }
B=(--set backbone.blocks=3)
bad_grid() { # bad_grid NAME PATTERN YAML-OF-THE-SWEEP-SECTION
  { base; printf '%s\n' "$3"; } > "$1.yaml"
  expect_fail 1 "$2" "$MF_BIN" sweep "$1.yaml" "${B[@]}" --out "run_$1"
  no_output "run_$1"
  check "[ ! -e run_$1 ]"
}
bad_grid block4 "block4.yaml: line [0-9]+: key 'sweep.branches': \[1, 4\] names block 4; the store holds blocks 1-3$" \
  "sweep:
  branches: [[1], [1, 4]]"
bad_grid basebranches "basebranches.yaml: key 'model.branches': block 5 is not in the store \(blocks 1-3\): set model.branches or sweep.branches" \
  "sweep:
  seeds: [1, 2]"
bad_grid empty "empty.yaml: line [0-9]+: key 'sweep': expected a grid \(branches, heads, lr, seeds or train.\* keys\), found none" \
  "sweep: {}"
bad_grid emptylist "emptylist.yaml: line [0-9]+: key 'sweep.seeds': expected a list of at least one value, found an empty list" \
  "sweep:
  seeds: []"
bad_grid nosection "nosection.yaml: no 'sweep:' section" ""
bad_grid unknown "unknown.yaml: line [0-9]+: key 'sweep.foo': unknown key" \
  "sweep:
  foo: [1, 2]"
bad_grid storekey "storekey.yaml: line [0-9]+: key 'sweep.patches.tumor_draws': not a training or evaluation key" \
  "sweep:
  patches.tumor_draws: [10, 20]"
bad_grid badlr "badlr.yaml: line [0-9]+: key 'sweep.lr': item 2: expected a number in 1e-09..10, found 'fast'" \
  "sweep:
  lr: [0.001, fast]"
bad_grid duplicate "duplicate.yaml: line [0-9]+: key 'sweep.lr': item 2: the value 0.001 is already item 1" \
  "sweep:
  lr: [0.001, 1e-3]"
bad_grid twice "twice.yaml: line [0-9]+: key 'sweep.train.lr': train.lr given twice \(also at line [0-9]+ as 'lr'\)" \
  "sweep:
  lr: [0.001]
  train:
    lr: [0.01]"
bad_grid branchlist "branchlist.yaml: line [0-9]+: key 'sweep.branches': item 1: expected distinct increasing integers" \
  "sweep:
  branches: [[3, 1]]"
bad_grid heads "heads.yaml: line [0-9]+: key 'sweep.heads': item 1: expected one of fusion1\|fusion2, found 'fusion3'" \
  "sweep:
  heads: [fusion3]"
bad_grid ranks "ranks.yaml: line [0-9]+: key 'sweep.group_ranks': expected an integer in 1..65536" \
  "sweep:
  seeds: [1]
  group_ranks: 0"

# the command line
printf 'sweep:\n  seeds: [1, 2]\n' > ok_grid.txt
{ base; cat ok_grid.txt; } > good.yaml
expect_fail 2 "mammofuse sweep: --slice: expected I/N with 0 <= I < N \(e.g. 0/4\), found '2/2'" \
  "$MF_BIN" sweep good.yaml --slice 2/2 --out run_slice
check "[ ! -e run_slice ]"
expect_fail 2 "mammofuse sweep: --group-ranks: expected an integer in 1..65536, found 'x'" \
  "$MF_BIN" sweep good.yaml --group-ranks x --out run_gr
expect_fail 1 "run_nostore/features.h5: missing \(run .mammofuse sweep. without --slice" \
  "$MF_BIN" sweep good.yaml --slice 0/2 --out run_nostore
expect_fail 1 "run_nostore/features.h5: missing" "$MF_BIN" sweep good.yaml --summary-only --out run_nostore
no_output run_nostore
finish
