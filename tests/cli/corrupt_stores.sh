# corrupt_stores.sh: a rois.h5, features.h5, model.h5 or checkpoint.h5 that
# is truncated, has a flipped byte in its raw data (Fletcher32 per chunk) or
# in its metadata (the HDF5 format's checksums), a dataset of the wrong shape
# or type, a missing attribute, or comes from another program is refused by
# the job that reads it with one line naming the file and what is wrong,
# exit 1, and none of the job's outputs. Then tests/tools/store_damage flips
# bytes all over each file and truncates it: every damaged copy is refused or
# read to exactly the same content (never different numbers). A store in the
# format written before checksums still trains to the same model.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
S=(--set data.synth_images=12 --set patches.tumor_draws=2 --set patches.normal_draws=2 --set extract.batch=8
   --set backbone.blocks=1 --set model.branches=1 --set train.batch=8 --set train.epochs=2)
damage() { /usr/bin/python3 "$MF_SRC/tests/cli/corrupt_stores.py" "$@"; }
"$MF_BIN" rois "$cfg" "${S[@]}" --out r > /dev/null
"$MF_BIN" extract "$cfg" "${S[@]}" --out r > /dev/null
"$MF_BIN" train "$cfg" "${S[@]}" --out r > /dev/null

# case FILE JOB PATTERN DAMAGE [NAME]: a fresh folder with FILE's inputs,
# FILE damaged, JOB refuses it and writes nothing.
n=0
case_() {
  local file=$1 job=$2 pat=$3
  shift 3
  n=$((n + 1))
  local d=c$n
  mkdir $d && cp r/rois.h5 $d/
  case $file in features.h5 | model.h5 | checkpoint.h5) cp r/features.h5 $d/ ;; esac
  [ "$file" = model.h5 ] && cp r/model.h5 r/history.csv $d/
  [ "$file" = checkpoint.h5 ] && cp r/checkpoint.h5 $d/
  damage "$@" $d/$file ${NAME:-}
  local before
  before=$(ls $d)
  expect_fail 1 "^$d/$file: $pat" "$MF_BIN" $job "$cfg" "${S[@]}" --out $d
  check "[ \"\$(ls $d)\" = \"$before\" ]" # no output, no temporary
}
trunc="cannot open as HDF5 \(truncated or damaged\?\): truncated file"
sum="checksum mismatch \(the file is damaged\)$"
meta="cannot open \(damaged file\): incorrect metadata checksum"
# rois.h5, read by extract
case_ rois.h5 extract "$trunc" truncate
NAME=images case_ rois.h5 extract "dataset 'images': $sum" raw
NAME=label case_ rois.h5 extract "dataset 'label': $meta" meta
NAME=images case_ rois.h5 extract "dataset 'images': expected \[N,S,S\], found \[[0-9]+,120,119\]" shape
NAME=label case_ rois.h5 extract "dataset 'label': expected integers, found strings" type
NAME=schema_version case_ rois.h5 extract "attribute 'schema_version': expected 1, found 0" noattr
case_ rois.h5 extract "no identity \(not a mammofuse ROI set" foreign
# features.h5, read by train
case_ features.h5 train "$trunc" truncate
NAME=mean_1 case_ features.h5 train "dataset 'mean_1' [0-9]+ rows from row [0-9]+: $sum" raw
NAME=label case_ features.h5 train "dataset 'label': $sum" raw
NAME=done case_ features.h5 train "dataset 'done': $sum" raw
NAME=meansq_1 case_ features.h5 train "dataset 'meansq_1': $meta" meta
NAME=pool2x2_1 case_ features.h5 train "dataset 'pool2x2_1': dimension 3 is 63, expected 64" shape
NAME=mean_1 case_ features.h5 train "dataset 'mean_1': expected floating-point numbers, found strings" type
NAME=mean_1 case_ features.h5 train "dataset 'mean_1': expected floating-point numbers, found integers" int
NAME=n_blocks case_ features.h5 train "attribute 'n_blocks': expected 1..5" noattr
case_ features.h5 train "attribute 'schema_version': expected 1 \(not a feature store" foreign
# model.h5, read by evaluate
case_ model.h5 evaluate "$trunc" truncate
NAME=params case_ model.h5 evaluate "dataset 'params': $sum" raw
NAME=state case_ model.h5 evaluate "dataset 'state': $meta" meta
NAME=params case_ model.h5 evaluate "dataset 'params': dimension 0 is [0-9]+, expected [0-9]+" shape
NAME=state case_ model.h5 evaluate "dataset 'state': expected floating-point numbers, found strings" type
NAME=params case_ model.h5 evaluate "dataset 'params': expected floating-point numbers, found integers" int
NAME=epochs case_ model.h5 evaluate "attribute 'epochs': missing \(not a mammofuse model\)" noattr
case_ model.h5 evaluate "no identity \(not a mammofuse model" foreign
# checkpoint.h5, read by train (no model.h5: it resumes from the checkpoint)
case_ checkpoint.h5 train "$trunc" truncate
NAME=velocity case_ checkpoint.h5 train "dataset 'velocity': $sum" raw
NAME=history case_ checkpoint.h5 train "dataset 'history': $meta" meta
NAME=params case_ checkpoint.h5 train "dataset 'params': dimension 0 is [0-9]+, expected [0-9]+" shape
NAME=state case_ checkpoint.h5 train "dataset 'state': expected floating-point numbers, found strings" type
NAME=epoch case_ checkpoint.h5 train "attributes epoch, step, best_epoch, ...: missing" noattr
case_ checkpoint.h5 train "no identity \(not a mammofuse checkpoint" foreign

# every byte of rois.h5's metadata, every 4th of features.h5's, every 40th
# of the 5 MB model's and 150th of the 15 MB checkpoint's (the time of a
# ctest); raw bytes at a stride; 65 truncations each
check "$MF_TOOLS/store_damage rois r/rois.h5 50 1 > rois.txt && grep -q ', 0 read differently' rois.txt"
check "$MF_TOOLS/store_damage features r/features.h5 50 4 > features.txt && grep -q ', 0 read differently' features.txt"
check "$MF_TOOLS/store_damage model r/model.h5 20 40 > model.txt && grep -q ', 0 read differently' model.txt"
check "$MF_TOOLS/store_damage checkpoint r/checkpoint.h5 10 150 > checkpoint.txt && grep -q ', 0 read differently' checkpoint.txt"
cat rois.txt features.txt model.txt checkpoint.txt

# a store as written before checksums (no Fletcher32, HDF5's earliest
# format) still reads, and trains to the same model bytes
mkdir old && cp r/rois.h5 r/features.h5 old/
damage old old/features.h5
"$MF_BIN" train "$cfg" "${S[@]}" --out old > /dev/null
check "cmp -s old/model.h5 r/model.h5"
check "[ -z \"\$(/usr/bin/python3 -c 'import h5py; print(h5py.File(\"old/features.h5\")[\"mean_1\"].fletcher32 or \"\")')\" ]"
finish
