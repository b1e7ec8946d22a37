#!/bin/bash
# compare.sh MODEL.onnx INPUT.raw SHAPE [ROWS]: run natively (this CPU), under AVX2 emulation, and under
# AVX2 emulation with --precise; print the differences (ROWS = batch rows for per-row argmax, default 1).
here=$(cd "$(dirname "$0")" && pwd); m=$1; in=$2; shape=$3; rows=${4:-1}
[ $# -ge 3 ] || { sed -n '2,3p' "$0"; exit 1; }
t=$(mktemp -d)
echo "== native";            "$here/ortrun" "$m" "$in" "$shape" $t/native.raw 2>/dev/null | tail -2
echo "== avx2 emulated";     "$here/run-avx2.sh" "$m" "$in" "$shape" $t/avx2.raw 2>/dev/null | tail -2
echo "== avx2 --precise";    "$here/run-avx2.sh" "$m" "$in" "$shape" $t/avx2p.raw --precise 2>/dev/null | tail -2
echo "-- native vs avx2:";           "$here/cmpraw" $t/native.raw $t/avx2.raw $rows | grep -E '^elem|^rows'
echo "-- native vs avx2 --precise:"; "$here/cmpraw" $t/native.raw $t/avx2p.raw $rows | grep -E '^elem|^rows'
rm -rf "$t"
