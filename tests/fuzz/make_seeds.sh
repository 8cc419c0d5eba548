#!/usr/bin/env bash
# make_seeds.sh BUILD_DIR OUT_DIR: the fuzz seeds, before minimisation
# (tests/fuzz/README.md). The stores are made by the project itself on a
# tiny synthetic set (rois -> extract -> train), then shrunk by seeds.py
# to a few rows so that each seed is a few kB; the text and image seeds
# come from ../shared/data and the repository's configs.
set -euo pipefail
build=$(cd "$1" && pwd)
out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
data=${MAMMOFUSE_DATA:-$src/../shared/data}
bin=$build/mammofuse
mkdir -p "$out"/{pgm,png,info,config,weights,rois,features,model,checkpoint}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cfg=$src/tests/fixtures/small.yaml
S=(--set data.synth_images=6 --set patches.tumor_draws=4 --set patches.normal_draws=4 --set backbone.blocks=2
   --set extract.batch=8 --set model.branches=1,2 --set train.batch=8 --set train.epochs=2)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
"$bin" rois "$cfg" "${S[@]}" --out "$work/r" > /dev/null
"$bin" extract "$cfg" "${S[@]}" --out "$work/r" > /dev/null
mkdir -p "$work/h" && cp "$work/r/rois.h5" "$work/h/"
"$bin" extract "$cfg" "${S[@]}" --set extract.dtype=float16 --out "$work/h" > /dev/null
"$bin" train "$cfg" "${S[@]}" --out "$work/r" > /dev/null
"$bin" synth "$cfg" "${S[@]}" --out "$work/s" > /dev/null
/usr/bin/python3 "$src/tests/fuzz/seeds.py" "$work" "$data" "$src" "$out"
