# rois_info_unreadable.sh: Info.txt enters the ROI set's identity as the
# SHA-256 of the very bytes parsed (jobs/rois_inputs.c reads it once), so it
# can never become an identity such as "unreadable": an Info.txt that cannot
# be read is an error naming it (exit 1, one line, no rois.h5), on 1 and on 2
# ranks: here a folder where the file should be, and a missing file.
. "$MF_SRC/tests/lib.sh"
real="$MAMMOFUSE_DATA/mias"
mkdir -p d/mias
for i in 001 002 003; do ln -s "$real/mdb$i.pgm" d/mias/; done
mkdir d/mias/Info.txt
printf 'data:\n  root: %s\n  source: mias\n' "$PWD/d" > c.yaml
expect_fail 1 "d/mias/Info.txt: .*(Is a directory|cannot read)" "$MF_BIN" rois c.yaml --out out
no_output out
expect_fail 1 "d/mias/Info.txt: .*(Is a directory|cannot read)" mpirun_n 2 "$MF_BIN" rois c.yaml --out out
no_output out
rmdir d/mias/Info.txt
expect_fail 1 "d/mias/Info.txt: cannot open: No such file or directory" "$MF_BIN" rois c.yaml --out out
no_output out
finish
