#!/usr/bin/env bash
# cli/weights.sh: `mammofuse weights` end to end: formula and random files
# round trip through `weights info` (arch, blocks, sha256 matching sha256sum,
# byte-reproducible), the shared ImageNet blocks 1-3 file is recognised, and
# usage and input errors give one line, the right exit status and no output
# file (nor temporary) left behind.
set -euo pipefail
bin=${MF_BIN:?MF_BIN: path of the mammofuse binary}
data=${MAMMOFUSE_DATA:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect STATUS PATTERN CMD...: exit status and a stderr line matching PATTERN
expect() {
  local want=$1 pat=$2
  shift 2
  local rc=0
  "$@" >out.txt 2>err.txt || rc=$?
  if [ "$rc" != "$want" ]; then bad "$*: exit $rc, expected $want ($(head -c 300 err.txt))"; return; fi
  if ! grep -q -- "$pat" err.txt; then bad "$*: stderr lacks '$pat': $(head -c 300 err.txt)"; return; fi
  if [ "$want" = 1 ] && [ "$(wc -l <err.txt)" != 1 ]; then bad "$*: expected one line on stderr: $(cat err.txt)"; return; fi
  ok
}
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

# Formula weights, whole VGG16: info agrees with the file.
"$bin" weights formula --arch vgg16 -o f16.h5 >made.txt
"$bin" weights info f16.h5 >info.txt
[ "$(field arch info.txt)" = vgg16 ] && ok || bad "formula vgg16: arch $(field arch info.txt)"
[ "$(field blocks info.txt)" = 5 ] && ok || bad "formula vgg16: blocks $(field blocks info.txt)"
[ "$(field layers info.txt)" = 13 ] && ok || bad "formula vgg16: layers"
[ "$(field params info.txt)" = 14714688 ] && ok || bad "formula vgg16: params $(field params info.txt)"
[ "$(field sha256 info.txt)" = "$(sha256sum f16.h5 | cut -d' ' -f1)" ] && ok || bad "sha256 differs from sha256sum"
[ "$(field sha256 made.txt)" = "$(field sha256 info.txt)" ] && ok || bad "writer and info disagree"
# Reproducible bytes, and the old naming style reads back as the same tower.
"$bin" weights formula --arch vgg16 --blocks 3 -o f16a.h5 >/dev/null
"$bin" weights formula --arch vgg16 --blocks 3 -o f16b.h5 >/dev/null
cmp -s f16a.h5 f16b.h5 && ok || bad "two formula runs differ"
"$bin" weights formula --arch vgg16 --blocks 3 --old-names -o f16old.h5 >/dev/null
"$bin" weights info f16old.h5 >old.txt
[ "$(field arch old.txt)" = vgg16 ] && [ "$(field blocks old.txt)" = 3 ] && ok || bad "old names: $(cat old.txt)"

# Random, VGG19 blocks 1-3; the seed matters.
"$bin" weights random --arch vgg19 --blocks 3 --seed 7 -o r3.h5 >r3.txt
[ "$(field arch r3.txt)" = vgg19 ] && [ "$(field blocks r3.txt)" = 3 ] && [ "$(field layers r3.txt)" = 8 ] \
  && ok || bad "random blocks 3: $(cat r3.txt)"
[ "$(field params r3.txt)" = 2325568 ] && ok || bad "random blocks 3: params"
"$bin" weights random --arch vgg19 --blocks 3 --seed 8 -o r3b.h5 >/dev/null
cmp -s r3.h5 r3b.h5 && bad "seeds 7 and 8 give the same file" || ok
"$bin" weights random --arch vgg19 --blocks 3 --seed 7 -o r3c.h5 >/dev/null
cmp -s r3.h5 r3c.h5 && ok || bad "seed 7 twice differs"

# The shared ImageNet file (when the data fixture is there).
if [ -n "$data" ] && [ -f "$data/weights/vgg19_imagenet_blocks1-3.h5" ]; then
  "$bin" weights info "$data/weights/vgg19_imagenet_blocks1-3.h5" >im.txt
  [ "$(field blocks im.txt)" = 3 ] && [ "$(field arch im.txt)" = vgg19 ] && ok || bad "imagenet: $(cat im.txt)"
  [ "$(field sha256 im.txt)" = 1e6aab37504d12b4eca06a6bec665b69a4fe9b068dba82948a8696c9149b666c ] && ok \
    || bad "imagenet sha256"
else
  bad "MAMMOFUSE_DATA/weights/vgg19_imagenet_blocks1-3.h5 missing"
fi

# Help.
"$bin" weights --help | grep -q "usage: mammofuse weights random" && ok || bad "weights --help"
"$bin" weights random --help | grep -q "weights info FILE" && ok || bad "weights random --help"

# Usage errors: exit 2, no output.
expect 2 "usage\|see mammofuse weights --help" "$bin" weights
expect 2 "unknown command 'bogus'" "$bin" weights bogus
expect 2 "expected vgg16 or vgg19" "$bin" weights formula --arch vgg18 -o u1.h5
expect 2 "--blocks '6': expected 1..5" "$bin" weights formula --arch vgg16 --blocks 6 -o u2.h5
expect 2 "--seed N is required" "$bin" weights random --arch vgg19 -o u3.h5
expect 2 "--seed 'x7': expected an unsigned integer" "$bin" weights random --arch vgg19 --seed x7 -o u4.h5
expect 2 "-o FILE is required" "$bin" weights formula --arch vgg16
expect 2 "unknown argument '--fast'" "$bin" weights formula --arch vgg16 --fast -o u5.h5
expect 2 "expected exactly one FILE" "$bin" weights info
for f in u1.h5 u2.h5 u3.h5 u4.h5 u5.h5; do [ ! -e "$f" ] && ok || bad "$f left behind after a usage error"; done

# Input errors: exit 1, one line naming the file.
printf 'not weights\n' >text.h5
expect 1 "text.h5: byte 0: not an HDF5 file" "$bin" weights info text.h5
expect 1 "absent.h5: cannot open" "$bin" weights info absent.h5
head -c 100000 f16.h5 >cut.h5
expect 1 "cut.h5: .*truncated" "$bin" weights info cut.h5
expect 1 "nodir/x.h5: cannot create" "$bin" weights formula --arch vgg16 -o nodir/x.h5
# A write that cannot finish (a directory in the way of the rename) leaves no partial file.
mkdir isdir.h5
expect 1 "isdir.h5: cannot rename" "$bin" weights formula --arch vgg16 --blocks 1 -o isdir.h5
leftovers=$(ls -a | grep '\.tmp\.' || true)
[ -z "$leftovers" ] && ok || bad "temporary files left behind: $leftovers"

echo "$pass passed, $fails failed"
[ "$fails" = 0 ]
