#!/bin/sh
# Rebuild the helper programs (gcc + libjpeg-dev headers; ORT 1.31.1 from the NuGet cache).
set -e; cd "$(dirname "$0")"
ORT=${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.onnxruntime/1.31.1
mkdir -p lib; cp $ORT/runtimes/linux-x64/native/libonnxruntime.so lib/; ln -sf libonnxruntime.so lib/libonnxruntime.so.1
gcc -O2 -I$ORT/build/native/include -o ortrun ortrun.c -Llib -lonnxruntime -Wl,-rpath,'$ORIGIN/lib'
gcc -O1 -o cpucheck cpucheck.c
for p in geninput cmpraw refmm score genuniform; do gcc -O2 -o $p $p.c -lm; done
gcc -O2 -o prepimg prepimg.c -ljpeg
