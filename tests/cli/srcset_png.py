"""tests/cli/srcset_png.py: the two image helpers of srcset.sh.
  png PATH WIDTH HEIGHT   writes a real RGB PNG (a gradient) of that size
  size PATH               prints "WIDTH HEIGHT" read from a PNG or JPEG file
  turn IN OUT             copies a JPEG with an EXIF orientation of 6 (turned right)
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


def turn(src, dst):
    tiff = b"MM\0*\0\0\0\x08" + struct.pack(">HHHIHH", 1, 0x0112, 3, 1, 6, 0) + b"\0\0\0\0"
    app1 = b"Exif\0\0" + tiff
    data = open(src, "rb").read()
    with open(dst, "wb") as f:
        f.write(data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:])


if sys.argv[1] == "png":
    png(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
elif sys.argv[1] == "turn":
    turn(sys.argv[2], sys.argv[3])
else:
    print("%d %d" % size(sys.argv[2]))
