# config_errors.sh: every bad configuration is one line naming the file, the line and the key; exit 1; no output.
. "$MF_SRC/tests/lib.sh"
cfg() { printf '%s\n' "$@" > c.yaml; }
cfg "seed: 1" "data:" "  source: synth" "  bogus: 3"
expect_fail 1 "^c.yaml: line 4: unknown key 'data.bogus'$" "$MF_BIN" rois c.yaml --out out
cfg "seed: 1" "split:" "  mode: random"
expect_fail 1 "^c.yaml: line 3: key 'split.mode': expected one of paper\|woman\|released, found 'random'$" "$MF_BIN" rois c.yaml --out out
cfg "seed: one"
expect_fail 1 "^c.yaml: line 1: key 'seed': expected an integer in 0..2147483647, found 'one'$" "$MF_BIN" rois c.yaml --out out
cfg "rois:" "  black_threshold: 300"
expect_fail 1 "^c.yaml: line 2: key 'rois.black_threshold': expected an integer in 0..254, found '300'$" "$MF_BIN" rois c.yaml --out out
cfg "split:" "  train: 1.5"
expect_fail 1 "line 2: key 'split.train': expected a number in 0.01..0.98, found '1.5'" "$MF_BIN" rois c.yaml --out out
cfg "train:" "  cache_mb: -1"
expect_fail 1 "^c.yaml: line 2: key 'train.cache_mb': expected an integer in 0..1048576, found '-1'$" "$MF_BIN" train c.yaml --out out
no_output out
cfg "rois:" "  median: maybe"
expect_fail 1 "line 2: key 'rois.median': expected true or false, found 'maybe'" "$MF_BIN" rois c.yaml --out out
cfg "rois: 3"
expect_fail 1 "line 1: key 'rois': expected a mapping of keys, found a value" "$MF_BIN" rois c.yaml --out out
cfg "seed:" "  a: 1"
expect_fail 1 "line 2: key 'seed': expected a single value, found a mapping" "$MF_BIN" rois c.yaml --out out
cfg "seed: [1, 2]"
expect_fail 1 "line 1: key 'seed': expected a single value, found a list" "$MF_BIN" rois c.yaml --out out
cfg "seed: 1" "data: {source: synth" 
expect_fail 1 "^c.yaml: line [0-9]+: invalid YAML" "$MF_BIN" rois c.yaml --out out
cfg "- 1" "- 2"
expect_fail 1 "line 1: expected a mapping of keys at the top level" "$MF_BIN" rois c.yaml --out out
cfg "seed: 1"
expect_fail 1 "^--set split.mode=x: key 'split.mode': expected one of" "$MF_BIN" rois c.yaml --set split.mode=x --out out
expect_fail 1 "^--set nope=1: unknown key 'nope'" "$MF_BIN" rois c.yaml --set nope=1 --out out
expect_fail 1 "^--set seed: expected key=value" "$MF_BIN" rois c.yaml --set seed --out out
expect_fail 1 "^missing.yaml: cannot open config: No such file" "$MF_BIN" rois missing.yaml --out out
check "[ ! -e out ]"
finish
