#!/bin/bash
# Run a .NET program (default: the project's modelbuild CLI) under QEMU user-mode emulation of an
# AVX2-without-AVX-512/VNNI x86-64 CPU (QEMU model Haswell-v4, override with AVX2EMU_CPU).
# usage: run-cli-avx2.sh [modelbuild args...]        e.g. run-cli-avx2.sh inspect model.onnx
#        AVX2EMU_DLL=/path/other.dll run-cli-avx2.sh args...
# DOTNET_gcConcurrent=0 is needed: with the background GC thread, runs under qemu-user crashed or
# failed at random (4 of 5 runs: SIGSEGV, "Value cannot be null", corrupted temp model); with it 10/10 ran.
# Expect ~1 s per MobileNetV2 inference and ~4 s of .NET start-up (vs ~10 ms / 0.2 s natively).
dll=${AVX2EMU_DLL:-$(cd "$(dirname "$0")/../.." && pwd)/src/ModelBuild.Cli/bin/Debug/net8.0/modelbuild.dll}
[ -f "$dll" ] || { echo "not found: $dll (build it first)" >&2; exit 1; }
export DOTNET_gcConcurrent=0
qemu-x86_64-static -cpu "${AVX2EMU_CPU:-Haswell-v4}" /usr/bin/dotnet "$dll" "$@" 2> >(grep -v "TCG doesn't support requested feature" >&2)
rc=$?
wait
exit $rc
