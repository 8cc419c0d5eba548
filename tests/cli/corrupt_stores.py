"""corrupt_stores.py KIND FILE [NAME]: damages an HDF5 file in place, one
kind of damage, for tests/cli/corrupt_stores.sh (Debian's python3 + h5py).

  truncate FILE          cut to half its size
  raw FILE DSET          flip one byte in the middle of DSET's first chunk
  meta FILE DSET         flip one byte of DSET's object header (its shape,
                         type and layout live there)
  shape FILE DSET        DSET replaced by one with its last dimension one shorter
  type FILE DSET         DSET replaced by fixed-length strings of its shape
  int FILE DSET          DSET (floats) replaced by int32 of its shape and values
  noattr FILE ATTR       root attribute ATTR removed
  foreign FILE           FILE replaced by an HDF5 file of other content
  old FILE               FILE rewritten as stores were before checksums: HDF5's
                         earliest format, the same chunks without Fletcher32
"""
import os
import sys

import h5py
import numpy as np


def flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)[0]
        f.seek(offset)
        f.write(bytes([b ^ 0x10]))


def main():
    kind, path = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) > 3 else None
    if kind == "truncate":
        with open(path, "r+b") as f:
            f.truncate(f.seek(0, 2) // 2)
    elif kind == "raw":
        with h5py.File(path, "r") as f:
            info = f[name].id.get_chunk_info(0)
        flip(path, info.byte_offset + info.size // 2)
    elif kind == "meta":
        with h5py.File(path, "r") as f:
            addr = h5py.h5o.get_info(f[name].id).addr
        flip(path, addr + 24)
    elif kind in ("shape", "type", "int"):
        with h5py.File(path, "r+") as f:
            a = f[name][...]
            del f[name]
            if kind == "shape":
                a = a[..., :-1]
                f.create_dataset(name, data=a)
            elif kind == "type":
                f.create_dataset(name, shape=a.shape, dtype="S4")
            else:
                f.create_dataset(name, data=a.astype(np.int32))
    elif kind == "noattr":
        with h5py.File(path, "r+") as f:
            del f.attrs[name]
    elif kind == "foreign":
        with h5py.File(path, "w") as f:
            f.create_dataset("measurements", data=np.arange(12.0).reshape(3, 4))
            f.attrs["instrument"] = "another program"
    elif kind == "old":
        tmp = path + ".old"
        with h5py.File(path, "r") as s, h5py.File(tmp, "w", libver="earliest") as d:
            for k in s.attrs:
                d.attrs.create(k, s.attrs[k], dtype=s.attrs.get_id(k).dtype)

            def copy(sg, dg):
                for name, obj in sg.items():
                    if isinstance(obj, h5py.Group):
                        g = dg.create_group(name, track_order=True)
                        for k in obj.attrs:
                            g.attrs.create(k, obj.attrs[k], dtype=obj.attrs.get_id(k).dtype)
                        copy(obj, g)
                    else:
                        dg.create_dataset(name, data=obj[...], dtype=obj.dtype, chunks=obj.chunks)

            copy(s, d)
        os.replace(tmp, path)
    else:
        sys.exit(f"corrupt_stores.py: unknown damage '{kind}'")


main()
