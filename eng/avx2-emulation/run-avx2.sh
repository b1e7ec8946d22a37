#!/bin/bash
# Run an ONNX model with ONNX Runtime 1.31.1 (CPU EP, 1 intra-op thread) under QEMU user-mode
# emulation of an x86-64 CPU with AVX2/FMA but without AVX-512/VNNI (default QEMU model Haswell-v4),
# so MLAS picks its AVX2 u8s8 kernels (vpmaddubsw, 16-bit saturating pair sums) as on such hardware.
#
# usage: run-avx2.sh MODEL.onnx INPUT.raw SHAPE OUT.raw [--precise] [--opt N] [--runs K]
#   INPUT.raw: raw float32 (one input tensor); SHAPE: e.g. 1,3,224,224; OUT.raw: first output, raw float32
#   --precise : session.x64quantprecision=1 (ORT uses U8U8 instead of U8S8: no saturation)
# env: AVX2EMU_CPU=<qemu cpu model> (default Haswell-v4; 'max' also has AVX2 and no AVX-512 in QEMU 7.2 TCG)
#      AVX2EMU_NATIVE=1 runs the same program natively (no emulation) for comparison.
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 4 ]; then sed -n '2,10p' "$0"; exit 1; fi
if [ "${AVX2EMU_NATIVE:-0}" = 1 ]; then exec "$here/ortrun" "$@"; fi
command -v qemu-x86_64-static >/dev/null || { echo "qemu-x86_64-static missing: apt-get install -y qemu-user-static" >&2; exit 1; }
# QEMU warns about CPUID bits TCG does not implement (pcid, x2apic, ...); they are irrelevant here: filter them.
qemu-x86_64-static -cpu "${AVX2EMU_CPU:-Haswell-v4}" "$here/ortrun" "$@" 2> >(grep -v "TCG doesn't support requested feature" >&2)
rc=$?
wait
exit $rc
