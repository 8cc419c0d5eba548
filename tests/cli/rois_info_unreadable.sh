# rois_info_unreadable.sh: Info.txt goes into the ROI set's identity (its
# SHA-256, taken after the images); if it can no longer be read then, that is
# an error naming it (exit 1, one line, no rois.h5), never the identity
# "unreadable". Made to happen for real: the last image is a FIFO, so the job
# waits for it; Info.txt is removed after the job parsed it and before the
# image's second read (its SHA-256) lets the job go on.
. "$MF_SRC/tests/lib.sh"
real="$MAMMOFUSE_DATA/mias"
mkdir -p d/mias
for i in 001 002; do ln -s "$real/mdb$i.pgm" d/mias/; done
mkfifo d/mias/mdb003.pgm
printf 'MIAS header line\r\n\r\nmdb001 G CIRC B 535 425 197\r\nmdb002 G CIRC B 522 280 69\r\nmdb003 D NORM \r\n' > d/mias/Info.txt
printf 'data:\n  root: %s\n  source: mias\n' "$PWD/d" > c.yaml

"$MF_BIN" rois c.yaml --out out > out.txt 2> err.txt &
job=$!
# first read of the FIFO: the image itself; wait until the job has closed it
timeout 60 cat "$real/mdb003.pgm" > d/mias/mdb003.pgm
for _ in $(seq 1 600); do
  ls -l /proc/$job/fd 2> /dev/null | grep -q mdb003.pgm || break
  sleep 0.05
done
rm d/mias/Info.txt
# second read: the image's SHA-256; then the job takes the inputs' identity
timeout 60 cat "$real/mdb003.pgm" > d/mias/mdb003.pgm
rc=0
wait $job || rc=$?
check "[ $rc = 1 ]"
check "[ \"\$(grep -c . err.txt)\" = 1 ]"
check "grep -Eq '^.*d/mias/Info.txt: cannot open: No such file or directory$' err.txt"
no_output out
[ "$fail" = 0 ] || cat err.txt >&2
finish
