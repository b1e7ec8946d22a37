#!/bin/bash
# Build the int8 variants with the project's modelbuild CLI (run natively), for targets portable and x64-vnni.
here=$(cd "$(dirname "$0")" && pwd); cd "$here"
repo=$(cd "$here/../.." && pwd); CLI="dotnet $repo/src/ModelBuild.Cli/bin/Debug/net8.0/modelbuild.dll"
Z=$repo/../shared/zoo
FM_PRE="channels=grey;mean=0.2860;std=0.3530"
CI_PRE="channels=rgb;mean=0.4914,0.4822,0.4465;std=0.2470,0.2435,0.2616"
mkdir -p models logs
build() { # name model recipe target [extra...]
  local name=$1 model=$2 recipe=$3 target=$4; shift 4
  local o=models/$name-$target
  if [ -s $o.onnx ] && [ -s $o.modeldesc ] && [ -z "$FORCE" ]; then echo "have $o.onnx"; return 0; fi
  echo "== $name $recipe --target-cpu $target"
  ( set -x; $CLI compress "$model" --recipe "$recipe" --target-cpu "$target" "$@" --output $o.onnx --description $o.modeldesc ) \
    > logs/build-$name-$target.log 2>&1 || { echo "FAILED: see logs/build-$name-$target.log"; tail -5 logs/build-$name-$target.log; return 1; }
  grep -i -A3 "int8-scheme" $o.modeldesc | head -4
}
for T in portable x64-vnni; do
  build bn-int8 $Z/fashion-mnist-family/fmnist-bn-cnn.onnx int8 $T \
    --calibration-data "$Z/fashion-mnist/t10k-images-idx3-ubyte.gz" --calibration-count 500 --preprocessing "$FM_PRE"
  build bn-int8dyn $Z/fashion-mnist-family/fmnist-bn-cnn.onnx int8-dynamic $T
  build resnet20-int8 $Z/cifar10/resnet20.onnx int8 $T \
    --calibration-data $Z/cifar10/test-2000 --calibration-count 200 --preprocessing "$CI_PRE"
  build qat-int8dyn $Z/fashion-mnist-family/fmnist-bn-cnn-qat.onnx int8-dynamic $T
  build mnv2-int8dyn $Z/imagenet/mobilenetv2-12-int8.onnx int8-dynamic $T
done
