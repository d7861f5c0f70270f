"""tests/cli/srcset_png.py: the two image helpers of srcset.sh.
  png PATH WIDTH HEIGHT   writes a real RGB PNG (a gradient) of that size
  size PATH               prints "WIDTH HEIGHT" read from a PNG or JPEG file
"""
import struct
import sys
import zlib


def png(path, width, height):
    rows = b"".join(b"\0" + bytes((x * 7 + y) % 256 for x in range(width) for _ in range(3))
                    for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(rows)))
        f.write(chunk(b"IEND", b""))


def size(path):
    data = open(path, "rb").read()
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    i = 2  # JPEG: walk the segments to the first frame header
    while i + 9 < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise SystemExit("%s: no size" % path)


if sys.argv[1] == "png":
    png(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
else:
    print("%d %d" % size(sys.argv[2]))
