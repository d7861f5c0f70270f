"""cache_patch.py FILE OLD NEW: replaces the bytes OLD by NEW (once) in a
briefing build cache and writes its checksum again, so that the file is
whole but says something else (another version, another folder)."""
import struct
import sys

M = (1 << 64) - 1
K1, K2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F


def mix(h, w):
    h = ((h ^ w) * K1) & M
    return h ^ (h >> 29)


def hs_bytes(data, seed=0):  # src/hashes.c hs_bytes
    n = len(data)
    h = (seed ^ (n * K2)) & M
    i = 0
    while n - i >= 8:
        h = mix(h, struct.unpack_from("<Q", data, i)[0])
        i += 8
    rest = data[i:] + b"\0" * (8 - (n - i))
    h = mix(h, struct.unpack("<Q", rest)[0] ^ (((n - i) << 56) & M))
    h ^= h >> 32
    h = (h * K2) & M
    return h ^ (h >> 31)


def hs_bulk(data, seed=0):  # src/hashes.c hs_bulk
    n = len(data)
    h = [(seed ^ (n * K2)) & M, (seed + K1) & M, (seed ^ K1) & M, (seed - K2) & M]
    i = 0
    while n - i >= 32:
        for lane in range(4):
            h[lane] = mix(h[lane], struct.unpack_from("<Q", data, i + 8 * lane)[0])
        i += 32
    t = hs_bytes(data[i:], h[0])
    return mix(mix(mix(t, h[1]), h[2]), h[3])


def checksum(data):  # src/cachefile.c cf_checksum
    block, total, i = 1 << 20, 0, 0
    while len(data) - i >= block:
        total = hs_bulk(data[i:i + block], total)
        i += block
    return hs_bulk(data[i:], total)


path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
body = open(path, "rb").read()[:-8]
if old not in body or len(old) != len(new):
    sys.exit("cache_patch: %r not found, or not the same length as %r" % (old, new))
body = body.replace(old, new, 1)
open(path, "wb").write(body + struct.pack("<Q", checksum(body)))
