#!/usr/bin/env python3
"""idx2raw.py IMAGES.idx3.gz LABELS.idx1.gz N OUT.raw OUT_LABELS.csv MEAN STD
Decode the first N images of an IDX3 file (16-byte header, then rows*cols uint8 each) into float32
(x/255 - MEAN)/STD, NCHW [N,1,rows,cols], and the first N labels (8-byte header) as 'index,label' lines."""
import gzip, struct, sys, array
img, lab, n, out, outlab, mean, std = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6]), float(sys.argv[7])
with gzip.open(img, 'rb') as f:
    magic, cnt, rows, cols = struct.unpack('>IIII', f.read(16))
    assert magic == 2051 and n <= cnt, (magic, cnt)
    px = f.read(n * rows * cols)
a = array.array('f', ((p / 255.0 - mean) / std for p in px))   # computed in double, stored as float32
assert a.itemsize == 4 and sys.byteorder == 'little'
with open(out, 'wb') as f: a.tofile(f)
with gzip.open(lab, 'rb') as f:
    magic, cnt = struct.unpack('>II', f.read(8)); assert magic == 2049
    ls = f.read(n)
with open(outlab, 'w') as f:
    for i, l in enumerate(ls): f.write('%d,%d\n' % (i, l))
print('%d images %dx%d -> %s, labels -> %s' % (n, rows, cols, out, outlab))
