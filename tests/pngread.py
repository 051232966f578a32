"""Read a greyscale or palette PNG into 8-bit grey pixels, with the standard library only.

Enough to hand the QR codes we serve to zxing-cpp's decoder without pulling Pillow or
numpy into the test dependencies. Checks every chunk's CRC, so a damaged file fails.
"""

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_grey(data):
    """Return (width, height, bytes) with one byte per pixel, 0 = black, 255 = white."""
    assert data.startswith(SIGNATURE), "not a PNG file"
    pos, idat, palette = len(SIGNATURE), b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunk_type = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(chunk_type + body) == crc, f"bad CRC in {chunk_type!r}"
        if chunk_type == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert colour in (0, 3) and interlace == 0, "only plain greyscale or palette PNGs"
        elif chunk_type == b"PLTE":
            palette = [sum(body[i : i + 3]) // 3 for i in range(0, len(body), 3)]
        elif chunk_type == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = (width * depth + 7) // 8
    bpp = max(1, depth // 8)
    previous = bytearray(stride)
    pixels = bytearray()
    maximum = (1 << depth) - 1
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            upper_left = previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, upper_left))[kind]) & 0xFF
        for x in range(width):
            bit = x * depth
            value = (line[bit // 8] >> (8 - depth - bit % 8)) & maximum
            pixels.append(palette[value] if palette else value * 255 // maximum)
        previous = line
    return width, height, bytes(pixels)
