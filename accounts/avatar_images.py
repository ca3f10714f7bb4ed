"""An uploaded avatar made safe: checked as a real image of an allowed kind, then redrawn.

Nothing of the upload is kept but its pixels: the image is decoded, turned upright, cropped to a
square, scaled to SIZE and encoded again as WebP from a fresh image, so no metadata (EXIF with a
location, ICC, XMP, comments) and no bytes hidden in the file survive.
"""

import io
import struct

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from .conf import settings

SIZE = 128  # shown at 64 CSS px: sharp on a 2x screen
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")  # what browsers and phones make
# Pillow names a JPEG that carries more pictures after its own (a phone's depth or gain map) MPO.
# Markup a browser or a server might run if the file were ever served as something else.
MARKUP = (b"<script", b"<html", b"<!doctype", b"<?php", b"<svg", b"<body", b"<iframe")


def prepare_avatar(upload) -> bytes:
    """The WebP bytes to store for an uploaded file; raises ValidationError with the reason."""
    limit = settings.AVATAR_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"That file is {upload.size // 1000:,} kB; "
            f"an avatar may be at most {limit // 1000:,} kB.",
            code="too_large",
        )
    data = upload.read()
    image = _open(data)
    if not _ends_where_the_image_ends(data, image.format) or _carries_markup(data):
        raise ValidationError(
            "That file holds something besides the image: please upload a plain picture.",
            code="polyglot",
        )
    try:
        return _redrawn(image)
    except (OSError, ValueError, SyntaxError, struct.error, TypeError, KeyError):
        # Pillow reads a damaged EXIF orientation or palette only when turning and converting.
        raise _damaged() from None


def _open(data):
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        raise ValidationError(
            "That file is not a PNG, JPEG, GIF or WebP image.", code="not_an_image"
        ) from None
    width, height = image.size
    # The header's size is read before any pixel is decoded: a bomb is refused unexpanded.
    if width * height > settings.AVATAR_MAX_PIXELS:
        raise _too_many_pixels()
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _damaged() from None
    return image


def _damaged():
    return ValidationError("That image is damaged and could not be read.", code="damaged")


def _too_many_pixels():
    return ValidationError(
        "That image has too many pixels to be an avatar; please upload a smaller one.",
        code="too_many_pixels",
    )


def _redrawn(image) -> bytes:
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    square = ImageOps.fit(upright.convert(mode), (SIZE, SIZE), Image.Resampling.LANCZOS)
    # A new image holds the pixels only: none of the decoded file's info travels with it.
    clean = Image.frombytes(mode, square.size, square.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def _carries_markup(data) -> bool:
    lowered = data.lower()
    return any(marker in lowered for marker in MARKUP)


def _ends_where_the_image_ends(data, kind) -> bool:
    """Whether no bytes follow the image's own end, where polyglots keep their second file."""
    try:
        end = ENDS[kind](data)
    except (KeyError, IndexError, struct.error, ValueError):
        return False
    return end is not None and data[end:].strip(b"\x00") == b""


def _png_end(data):
    position = 8  # the signature
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return position
    return None


def _gif_end(data):
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        block = data[position]
        if block == 0x3B:  # the trailer
            return position + 1
        if block == 0x21:  # an extension: its label, then sub-blocks
            position = _after_sub_blocks(data, position + 2)
        elif block == 0x2C:  # an image: its descriptor, colour table, code size, sub-blocks
            local = data[position + 9]
            position += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            position = _after_sub_blocks(data, position + 1)
        else:
            return None


def _after_sub_blocks(data, position):
    while data[position]:
        position += data[position] + 1
    return position + 1


def _jpeg_end(data, start=0):
    position = start + 2  # SOI
    while True:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xD9:  # EOI
            return position + 2
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
        if marker == 0xDA:  # a scan: entropy-coded bytes up to the next real marker
            position = _after_scan(data, position)


def _after_scan(data, position):
    while True:
        position = data.index(b"\xff", position)
        following = data[position + 1]
        # FF00 is a stuffed byte and FFD0-FFD7 restart markers: both are part of the scan.
        if following == 0 or 0xD0 <= following <= 0xD7:
            position += 2
        else:
            return position


def _mpo_end(data):
    """The end of the last of the JPEG pictures that follow one another in the file."""
    end = _jpeg_end(data)
    while (following := data.find(b"\xff\xd8\xff", end)) != -1:
        if data[end:following].strip(b"\x00"):
            return end  # something that is no picture comes between them
        end = _jpeg_end(data, following)
    return end


def _webp_end(data):
    (size,) = struct.unpack("<I", data[4:8])
    return 8 + size + (size & 1)


ENDS = {"PNG": _png_end, "GIF": _gif_end, "JPEG": _jpeg_end, "MPO": _mpo_end, "WEBP": _webp_end}
