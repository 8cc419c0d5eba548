# rois_errors.sh: bad inputs of the rois job: one line naming file, place and expectation; exit 1; no output.
. "$MF_SRC/tests/lib.sh"
real="$MAMMOFUSE_DATA/mias"
mkdir -p d/mias
for i in 001 002 003 004; do ln -s "$real/mdb$i.pgm" d/mias/; done
info() { printf 'MIAS header line\r\n\r\n'; printf '%s\r\n' "$@"; }
info "mdb001 G CIRC B 535 425 197" "mdb002 G CIRC B 522 280 69" "mdb003 D NORM " "mdb004 D NORM " > d/mias/Info.txt
printf 'data:\n  root: %s\n  source: mias\n' "$PWD/d" > c.yaml
# the good case first, so that the failures below are the inputs' fault
"$MF_BIN" rois c.yaml --out good > good.txt
check "grep -q '4 ROIs (2 Normal, 2 Tumor) from 4 images' good.txt"
check "[ -f good/rois.h5 ]"

# a missing image (also found by another rank than 0)
info "mdb001 G CIRC B 535 425 197" "mdb002 G CIRC B 522 280 69" "mdb005 D NORM " > d/mias/Info.txt
expect_fail 1 "d/mias/mdb005.pgm: cannot open.*No such file" "$MF_BIN" rois c.yaml --out out1
no_output out1
expect_fail 1 "d/mias/mdb005.pgm: cannot open.*No such file" mpirun_n 2 "$MF_BIN" rois c.yaml --out out1
no_output out1

# a truncated PGM
head -c 50000 "$real/mdb003.pgm" > d/mias/mdb006.pgm
info "mdb001 G CIRC B 535 425 197" "mdb006 D NORM " > d/mias/Info.txt
expect_fail 1 "mdb006.pgm: byte [0-9]+: expected 1048576 bytes of pixel data" "$MF_BIN" rois c.yaml --out out2
no_output out2

# a malformed Info.txt row
info "mdb001 G CIRC B 535 425 197" "mdb002 Q CIRC B 522 280 69" > d/mias/Info.txt
expect_fail 1 "Info.txt: line 4: .*BG" "$MF_BIN" rois c.yaml --out out3
no_output out3
info "mdb001 G CIRC X 535 425 197" > d/mias/Info.txt
expect_fail 1 "Info.txt: line 3: .*SEVERITY" "$MF_BIN" rois c.yaml --out out3
no_output out3

# a coordinate outside the image
info "mdb001 G CIRC B 1535 425 197" > d/mias/Info.txt
expect_fail 1 "Info.txt: line 3: .*X" "$MF_BIN" rois c.yaml --out out4
no_output out4

# an unwritable output: the run folder is a file, or inside a read-only place
info "mdb001 G CIRC B 535 425 197" "mdb003 D NORM " > d/mias/Info.txt
touch afile
expect_fail 1 "afile: expected a folder, found a file" "$MF_BIN" rois c.yaml --out afile/run
expect_fail 1 "/proc/mammofuse: cannot create folder" "$MF_BIN" rois c.yaml --out /proc/mammofuse/run
check "[ ! -s afile ]"
finish
