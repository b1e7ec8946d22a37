#!/bin/bash
# validate.sh: int8 models made by the ModelBuild CLI for --target-cpu portable vs x64-vnni, run with ONNX Runtime 1.31.1
# natively (this CPU: AVX-512 VNNI, exact vpdpbusd kernels) and under qemu-x86_64-static -cpu Haswell-v4 (AVX2, no VNNI:
# MLAS u8s8 kernels with 16-bit saturating pair sums). For each model x variant: native vs emulated max abs difference,
# differing output values, inputs whose argmax differs, top-1 natively and emulated; plus the emulated run with
# session.x64quantprecision=1 (--precise: ORT rewrites s8 weights to u8, U8U8 kernels, no saturation) compared with the
# native run and with the plain emulated run (the latter isolates what u8s8 saturation alone changes).
# Two float originals are control rows: their native/emulated difference is float rounding (AVX-512 vs AVX2 FMA kernels).
# usage: validate.sh            results in out/, logs in logs/, table in out/table.md
# env:   FORCE=1 rebuilds the models and reruns everything (otherwise existing outputs are reused, with their logged times)
#        AVX2EMU_CPU=<qemu cpu model> (default Haswell-v4)
set -u
here=$(cd "$(dirname "$0")" && pwd); cd "$here"
repo=$(cd "$here/../.." && pwd); Z=$repo/../shared/zoo; ORT=${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.onnxruntime/1.31.1
mkdir -p data out logs

# helpers (ortloop: one session, one Run per input tensor; prepcifar: CIFAR JPEG -> raw); ./ortrun, ./cmpraw, ./score, ./prepimg from ../build.sh
[ -x ortloop ] || gcc -O2 -I$ORT/build/native/include -o ortloop ortloop.c -Llib -lonnxruntime -Wl,-rpath,'$ORIGIN/lib'
[ -x prepcifar ] || gcc -O2 -o prepcifar prepcifar.c -ljpeg

# 1. models (modelbuild CLI, run natively)
./build_models.sh || exit 1

# 2. inputs from the real test sets
[ -s data/fmnist1000.raw ] || python3 idx2raw.py $Z/fashion-mnist/t10k-images-idx3-ubyte.gz $Z/fashion-mnist/t10k-labels-idx1-ubyte.gz \
  1000 data/fmnist1000.raw data/fmnist1000.csv 0.2860 0.3530
[ -s data/cifar200.raw ] || ./prepcifar data/cifar200.raw data/cifar200.csv 20 $Z/cifar10/test-2000
if [ ! -s data/imagenet100.raw ]; then
  head -100 $Z/imagenet/val-500/labels.csv > data/imagenet100.csv
  ./prepimg data/imagenet100.raw $(cut -d, -f1 data/imagenet100.csv | sed "s|^|$Z/imagenet/val-500/|")
fi

# 3. runs. run MODE MODEL INPUT SHAPE OUT [--precise]; MODE native|emu; SHAPE is per Run (the input file holds whole tensors).
#    Cached: an existing OUT (with its .time) is reused unless FORCE=1.
run() {
  local mode=$1 m=$2 in=$3 shape=$4 out=$5; shift 5
  if [ -s $out ] && [ -s $out.time ] && [ -z "${FORCE:-}" ]; then return 0; fi
  local t0=$(date +%s.%N) rc
  if [ $mode = native ]; then ./ortloop $m $in $shape $out "$@"; rc=$?
  else qemu-x86_64-static -cpu "${AVX2EMU_CPU:-Haswell-v4}" ./ortloop $m $in $shape $out "$@" 2> >(grep -v "TCG doesn't support requested feature" >&2); rc=$?; fi
  [ $rc = 0 ] || { rm -f $out; return $rc; }
  printf '%.1f\n' $(echo "$(date +%s.%N) - $t0" | bc) > $out.time
}
# cmp3 A B ROWS -> "maxabs differing elements argmaxdiff"
cmp3() { ./cmpraw $1 $2 $3 | awk '/^elements=/{for(i=1;i<=NF;i++){split($i,kv,"=");v[kv[1]]=kv[2]}} /^rows=/{split($2,a,"=");ad=a[2]} END{print v["max_abs_diff"], v["differing"], v["elements"], ad}'; }
T=out/table.md
{
echo "| model | target | int8-scheme | inputs | top-1 native | top-1 emulated AVX2 | native vs emulated: max abs diff | differing output values | argmax differs | native vs emulated --precise: max abs diff / argmax differs | emulated vs emulated --precise (saturation alone): differing values / argmax differs | emulated run time (s) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > $T
#        name             model                                                   input                shape per Run   classes labels
cases=( "bn-int8-portable        models/bn-int8-portable.onnx                     data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "bn-int8-x64-vnni        models/bn-int8-x64-vnni.onnx                     data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "bn-int8dyn-portable     models/bn-int8dyn-portable.onnx                  data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "bn-int8dyn-x64-vnni     models/bn-int8dyn-x64-vnni.onnx                  data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "bn-float(control)       $Z/fashion-mnist-family/fmnist-bn-cnn.onnx       data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "qat-int8dyn-portable    models/qat-int8dyn-portable.onnx                 data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "qat-int8dyn-x64-vnni    models/qat-int8dyn-x64-vnni.onnx                 data/fmnist1000.raw  1000,1,28,28    10   data/fmnist1000.csv"
        "resnet20-int8-portable  models/resnet20-int8-portable.onnx               data/cifar200.raw    1,3,32,32       10   data/cifar200.csv"
        "resnet20-int8-x64-vnni  models/resnet20-int8-x64-vnni.onnx               data/cifar200.raw    1,3,32,32       10   data/cifar200.csv"
        "resnet20-float(control) $Z/cifar10/resnet20.onnx                         data/cifar200.raw    1,3,32,32       10   data/cifar200.csv"
        "mnv2-int8dyn-portable   models/mnv2-int8dyn-portable.onnx                data/imagenet100.raw 100,3,224,224   1000 data/imagenet100.csv"
        "mnv2-int8dyn-x64-vnni   models/mnv2-int8dyn-x64-vnni.onnx                data/imagenet100.raw 100,3,224,224   1000 data/imagenet100.csv" )
for c in "${cases[@]}"; do
  read -r id m in shape ncls labels <<< "$c"
  case $id in *"(control)") name=${id%(control)}; tgt="(float original)"; scheme="-"; o=out/${name};;
              *) name=${id%-portable}; name=${name%-x64-vnni}; tgt=${id#$name-}; o=out/$id
                 scheme=$(awk -F'\t' '$1=="int8-scheme"{print $2}' ${m%.onnx}.modeldesc);; esac
  echo "== $id $scheme" >&2
  run native $m $in $shape $o.native.raw > logs/$(basename $o).native.log 2>&1 || { echo "native run failed: see logs" >&2; continue; }
  run emu    $m $in $shape $o.emu.raw    > logs/$(basename $o).emu.log 2>&1    || { echo "emulated run failed: see logs" >&2; continue; }
  rows=$(( $(stat -c %s $o.native.raw) / 4 / ncls ))
  read -r mad nd nel ad <<< "$(cmp3 $o.native.raw $o.emu.raw $rows)"
  accn=$(./score $o.native.raw $labels $ncls | sed 's/top1 //'); acce=$(./score $o.emu.raw $labels $ncls | sed 's/top1 //')
  pn="-"; pe="-"
  if [ "$scheme" != "-" ] && run emu $m $in $shape $o.emup.raw --precise > logs/$(basename $o).emup.log 2>&1; then
    read -r pmad pnd pnel pad <<< "$(cmp3 $o.native.raw $o.emup.raw $rows)"; pn="$pmad / $pad"
    read -r smad snd snel sad <<< "$(cmp3 $o.emu.raw $o.emup.raw $rows)"; pe="$snd of $snel / $sad"
  fi
  echo "| $name | $tgt | $scheme | $rows | $accn | $acce | $mad | $nd of $nel | $ad of $rows | $pn | $pe | $(cat $o.emu.raw.time) |" | tee -a $T >&2
done
echo; cat $T
