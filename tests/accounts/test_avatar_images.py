"""Damaged pictures: whatever bytes arrive, the upload is taken or refused with a reason."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.avatar_images import prepare_avatar


def pictures():
    """A small picture of each allowed kind, with EXIF where the format carries it."""
    made = []
    for kind in ("PNG", "JPEG", "GIF", "WEBP"):
        exif = Image.Exif()
        exif[0x0112] = 6  # Orientation: turned, so the EXIF is read when the picture is turned
        exif[0x010F] = "Parley Test Camera"
        buffer = io.BytesIO()
        extra = {} if kind == "GIF" else {"exif": exif}
        Image.new("RGB", (60, 40), "teal").save(buffer, kind, **extra)
        made.append(buffer.getvalue())
    return made


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on the damaged EXIF it skips
def test_pictures_with_bytes_changed_at_random_are_taken_or_refused_never_an_error():
    rng = random.Random(13)  # the same damage on every run
    originals = pictures()
    outcomes = set()
    for _ in range(400):
        damaged = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            stored = prepare_avatar(SimpleUploadedFile("me", bytes(damaged)))
        except ValidationError as refusal:
            outcomes.add(refusal.code)
        else:
            assert Image.open(io.BytesIO(stored)).size == (128, 128)
            outcomes.add("taken")
    assert "taken" in outcomes and len(outcomes) > 2  # both kinds of outcome were met


def test_a_turned_photo_is_stored_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    photo = Image.new("RGB", (300, 150), "white")
    photo.paste(Image.new("RGB", (150, 150), "black"), (0, 0))  # the stored left half is black
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif)

    stored = Image.open(
        io.BytesIO(prepare_avatar(SimpleUploadedFile("me.jpg", buffer.getvalue())))
    )

    # Turned upright, the black half is on top: cropped square, the top row is dark.
    assert stored.convert("L").getpixel((64, 5)) < 60
    assert stored.convert("L").getpixel((64, 122)) > 200
