"""seeds.py WORK DATA SRC OUT: writes the fuzz seeds into OUT/<reader>/
(called by make_seeds.sh, which made the stores in WORK with the project).

HDF5 seeds: each store is copied object by object with every dataset cut to
its first rows (the ROI images also cut to 8x8), the same types, chunking
and filters, and every attribute and group (creation order kept), so the
reader walks all its paths on a few kB. Text and image seeds come from the
shared data (Info.txt, released ROI PNGs), the synthetic MIAS PGMs (cropped)
and the repository's configs."""
import glob
import os
import shutil
import sys
import zlib
import struct

import h5py
import numpy as np

work, data, src, out = sys.argv[1:5]


def put(reader, name, blob):
    with open(os.path.join(out, reader, name), "wb") as f:
        f.write(blob)


def copy_attrs(s, d):
    # creation order where the source tracks it (the identity groups)
    for k in s.attrs.keys():
        d.attrs.create(k, s.attrs[k], dtype=s.attrs.get_id(k).dtype)


def shrink(path, dst, rows, side=None, attrs=None, zero_gzip=False, cut=None):
    with h5py.File(path, "r") as s, h5py.File(dst, "w", track_order=True, libver="latest") as d:
        copy_attrs(s, d)
        for k, v in (attrs or {}).items():
            d.attrs[k] = v

        def walk(sg, dg):
            for name, obj in sg.items():
                if isinstance(obj, h5py.Group):
                    g = dg.create_group(name, track_order=True)
                    copy_attrs(obj, g)
                    walk(obj, g)
                    continue
                a = obj[...]
                if cut and name in cut:
                    a = a[: cut[name]]
                if a.ndim >= 1 and name != "done" and not zero_gzip:
                    a = a[:rows]
                if side and name == "images":
                    a = a[:, :side, :side]
                if name == "done":
                    a = np.ones(max(1, (rows + 1) // 2), dtype=a.dtype)
                kw = {}
                if zero_gzip and a.dtype == np.float32 and a.size > 64:
                    # a head's 1.25 M parameters: zeros, compressed to a few kB
                    dg.create_dataset(name, data=np.zeros_like(a), chunks=a.shape, compression="gzip",
                                      fletcher32=bool(obj.fletcher32))
                    continue
                if obj.chunks:
                    kw["chunks"] = tuple(max(1, min(c, n)) for c, n in zip(obj.chunks, a.shape)) if a.size else None
                    kw["fletcher32"] = obj.fletcher32
                    if obj.compression:
                        kw["compression"] = obj.compression
                dg.create_dataset(name, data=a, dtype=obj.dtype, **kw)
                copy_attrs(obj, dg[name])

        walk(s, d)


def h5seeds():
    r = os.path.join(work, "r")
    shrink(f"{r}/rois.h5", f"{out}/rois/rois_2x8.h5", 2, side=8)
    shrink(f"{r}/rois.h5", f"{out}/rois/rois_1x4.h5", 1, side=4)
    shrink(f"{r}/features.h5", f"{out}/features/features_f32.h5", 3, attrs={"chunk_rows": np.int64(2)})
    shrink(f"{work}/h/features.h5", f"{out}/features/features_f16.h5", 3, attrs={"chunk_rows": np.int64(2)})
    # model and checkpoint: every dataset whole, the parameters zeroed and compressed
    shrink(f"{r}/model.h5", f"{out}/model/model.h5", 0, zero_gzip=True)
    shrink(f"{r}/checkpoint.h5", f"{out}/checkpoint/checkpoint.h5", 0, zero_gzip=True)
    # and with the state fuzz_checkpoint.c gives the reader (1000 parameters,
    # 32 statistics): a whole checkpoint it reads to the end in a millisecond
    small = {"params": 1000, "velocity": 1000, "best_params": 1000, "state": 32, "best_state": 32}
    shrink(f"{r}/checkpoint.h5", f"{out}/checkpoint/small-best", 0, zero_gzip=True, cut=small)
    # weights: block 1 of the Keras 2 and release layouts, zero kernels
    # compressed (a real block-1 file is 155 kB of floats)
    for style, (wk, bk) in {"keras2": ("kernel:0", "bias:0"), "old": ("{l}_W_1:0", "{l}_b_1:0")}.items():
        with h5py.File(f"{out}/weights/block1_{style}.h5", "w") as f:
            names = ["input_1", "block1_conv1", "block1_conv2", "block1_pool"]
            f.attrs["layer_names"] = np.array([n.encode() for n in names])
            f.attrs["backend"] = b"tensorflow"
            f.attrs["keras_version"] = b"2.1.4"
            for n in names:
                g = f.create_group(n)
                if "conv" not in n:
                    g.attrs["weight_names"] = np.array([], dtype="S1")
                    continue
                cin = 3 if n.endswith("conv1") else 64
                k, b = wk.format(l=n), bk.format(l=n)
                g.attrs["weight_names"] = np.array([f"{n}/{k}".encode(), f"{n}/{b}".encode()])
                sub = g.create_group(n)
                sub.create_dataset(k, data=np.zeros((3, 3, cin, 64), "f4"), compression="gzip", chunks=(3, 3, cin, 64))
                sub.create_dataset(b, data=np.zeros(64, "f4"))


def pgm_seeds():
    pgms = sorted(glob.glob(f"{work}/s/mias/*.pgm"))
    if pgms:
        with open(pgms[0], "rb") as f:
            blob = f.read()
        # header "P5\n1024 1024\n255\n": crop a 16x16 block from the middle
        hdr_end = blob.index(b"255\n") + 4
        img = np.frombuffer(blob[hdr_end:], np.uint8).reshape(1024, 1024)[500:516, 500:516]
    else:
        img = (np.arange(256) % 256).astype(np.uint8).reshape(16, 16)
    put("pgm", "p5_16x16.pgm", b"P5\n# cropped synthetic mammogram\n16 16\n255\n" + img.tobytes())
    put("pgm", "p2_4x4.pgm", b"P2\n4 4 # ascii\n255\n" + " ".join(str(v) for v in img[:4, :4].ravel()).encode() + b"\n")
    put("pgm", "p5_16bit.pgm", b"P5 4 4 65535\n" + (img[:4, :4].astype(">u2") * 257).tobytes())
    put("pgm", "p5_max15.pgm", b"P5\n3 2\n15\n" + bytes([0, 5, 10, 15, 3, 7]))


def png_seeds():
    pngs = sorted(glob.glob(f"{data}/mias-rois/*/*.png"), key=os.path.getsize)
    for i, p in enumerate(pngs[:2]):
        shutil.copy(p, f"{out}/png/released_{i}.png")

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    def png(w, h, depth, ctype, rows, extra=b""):
        ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0)
        raw = b"".join(b"\0" + r for r in rows)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

    put("png", "rgb_2x2.png", png(2, 2, 8, 2, [bytes(range(6)), bytes(range(6, 12))]))
    put("png", "gray16_2x2.png", png(2, 2, 16, 0, [bytes(4), bytes([255] * 4)]))
    put("png", "palette_2x2.png", png(2, 2, 8, 3, [b"\0\1", b"\1\0"], chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255]))))
    put("png", "graya_2x2.png", png(2, 2, 8, 4, [bytes(4), bytes([9] * 4)]))


def text_seeds():
    shutil.copy(f"{data}/mias/Info.txt", f"{out}/info/Info.txt")
    synth = f"{work}/s/mias/Info.txt"
    if os.path.exists(synth):
        shutil.copy(synth, f"{out}/info/synth_Info.txt")
    for p in ["demo.yaml", "paper.yaml", "cv.yaml"]:
        shutil.copy(f"{src}/configs/{p}", f"{out}/config/{p}")
    shutil.copy(f"{src}/tests/fixtures/small.yaml", f"{out}/config/small.yaml")
    # with --set lines after a NUL (fuzz_config.c)
    with open(f"{src}/configs/demo.yaml", "rb") as f:
        put("config", "demo_sets.yaml", f.read() + b"\0model.branches=[1,2]\ntrain.lr=0.01\nsplit.mode=woman\n")


h5seeds()
pgm_seeds()
png_seeds()
text_seeds()
