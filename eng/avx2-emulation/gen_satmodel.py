#!/usr/bin/env python3
"""Write a tiny ONNX model (no onnx package needed; hand-encoded protobuf) that exposes
u8s8 saturation:  Y = Cast<float>( MatMulInteger( QuantizeLinear(X, scale=1, zp=uint8 0), B_int8 ) )
X: float [M,K]  (values 0..255 map 1:1 to uint8),  B: int8 [K,N] initializer.
usage: gen_satmodel.py OUT.onnx M K N [bmode]   bmode: 'max' (all 127) | 'rand' (seeded pseudo-random in [-128,127])
Also writes OUT.onnx.B.raw (int8) so a reference can be computed."""
import struct, sys, random

def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def key(f, wt): return varint((f << 3) | wt)
def f_int(f, v): return key(f, 0) + varint(v)
def f_bytes(f, b):
    if isinstance(b, str): b = b.encode()
    return key(f, 2) + varint(len(b)) + b

def tensor(name, dtype, dims, raw):
    return b"".join(f_int(1, d) for d in dims) + f_int(2, dtype) + f_bytes(8, name) + f_bytes(9, raw)
def node(op, ins, outs, name, attrs=b""):
    return b"".join(f_bytes(1, i) for i in ins) + b"".join(f_bytes(2, o) for o in outs) + f_bytes(3, name) + f_bytes(4, op) + attrs
def attr_int(name, v): return f_bytes(5, f_bytes(1, name) + f_int(3, v) + f_int(20, 2))
def vinfo(name, elem, dims):
    shape = b"".join(f_bytes(1, f_int(1, d)) for d in dims)
    ttype = f_int(1, elem) + f_bytes(2, shape)
    return f_bytes(1, name) + f_bytes(2, f_bytes(1, ttype))

FLOAT, UINT8, INT8, INT32 = 1, 2, 3, 6
out, M, K, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "max"
rng = random.Random(1234)
B = [127] * (K * N) if mode == "max" else [rng.randint(-128, 127) for _ in range(K * N)]
braw = struct.pack(f"{K*N}b", *B)
g = b""
g += f_bytes(1, node("QuantizeLinear", ["X", "xs", "xzp"], ["Xq"], "q"))
g += f_bytes(1, node("MatMulInteger", ["Xq", "B"], ["Yi"], "mm"))
g += f_bytes(1, node("Cast", ["Yi"], ["Y"], "cast", attr_int("to", FLOAT)))
g += f_bytes(2, "satgraph")
g += f_bytes(5, tensor("xs", FLOAT, [], struct.pack("<f", 1.0)))
g += f_bytes(5, tensor("xzp", UINT8, [], bytes([0])))
g += f_bytes(5, tensor("B", INT8, [K, N], braw))
g += f_bytes(11, vinfo("X", FLOAT, [M, K]))
g += f_bytes(12, vinfo("Y", FLOAT, [M, N]))
model = f_int(1, 7) + f_bytes(2, "avx2emu-gen") + f_bytes(7, g) + f_bytes(8, f_bytes(1, "") + f_int(2, 13))
open(out, "wb").write(model)
open(out + ".B.raw", "wb").write(braw)
print(f"wrote {out}: M={M} K={K} N={N} B={mode}")
