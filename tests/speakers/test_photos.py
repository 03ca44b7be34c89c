"""Tests for speakers.photos: what an uploaded photo becomes, and which uploads are refused.

Every file is built here in memory, with Pillow or by hand; no binary fixtures.
"""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from speakers.photos import PhotoRejected, ProcessedPhoto, process_photo

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def encoded(image, image_format, **params):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(data):
    return Image.open(io.BytesIO(data))


def two_halves(size, left, right, mode="RGB"):
    width, height = size
    image = Image.new(mode, size, right)
    image.paste(left, (0, 0, width // 2, height))
    return image


def assert_colour(image, xy, expected):
    actual = image.convert("RGB").getpixel(xy)
    assert all(abs(a - e) <= 24 for a, e in zip(actual, expected, strict=True)), actual


def assert_metadata_free(data):
    image = opened(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert dict(image.getexif()) == {}
    assert {"exif", "icc_profile", "comment", "xmp"} & image.info.keys() == set()
    for marker in (b"Exif", b"SecretPhoneMaker", b"SecretDatum", b"secret comment", b"acsp"):
        assert marker not in data


def png_of_blank_pixels(width, height):
    """A real one-bit PNG of white pixels, compressed row by row so the test never holds them."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    compressor = zlib.compressobj()
    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # Filter byte "none", then the bits.
    rows = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.fixture
def phone_jpeg():
    """A portrait as phones store it: landscape pixels, orientation 6, GPS, ICC, a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # Turn 90° clockwise to display.
    exif[ExifTags.Base.Make] = "SecretPhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.5),
        ExifTags.GPS.GPSMapDatum: "SecretDatum",
    }
    icc_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(
        two_halves((400, 200), RED, BLUE),
        "JPEG",
        exif=exif,
        icc_profile=icc_profile,
        comment=b"secret comment",
    )
    source = opened(data)
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert b"SecretPhoneMaker" in data
    assert b"SecretDatum" in data
    assert b"acsp" in data  # The signature every ICC profile carries.
    assert "icc_profile" in source.info
    return data


def test_process_photo_strips_all_metadata(phone_jpeg):
    result = process_photo(upload(phone_jpeg))

    assert_metadata_free(result.photo)
    assert_metadata_free(result.thumbnail)


def test_process_photo_stands_phone_photos_upright(phone_jpeg):
    result = process_photo(upload(phone_jpeg))

    photo = opened(result.photo)
    assert (result.width, result.height) == photo.size == (200, 400)
    assert_colour(photo, (100, 50), RED)  # The stored left half is now on top.
    assert_colour(photo, (100, 350), BLUE)


def test_process_photo_flattens_transparency_onto_white():
    image = two_halves((100, 100), (0, 0, 0, 0), (*RED, 255), mode="RGBA")

    result = process_photo(upload(encoded(image, "PNG"), name="photo.png"))

    photo = opened(result.photo)
    assert (photo.format, photo.mode) == ("JPEG", "RGB")
    assert_colour(photo, (20, 50), WHITE)
    assert_colour(photo, (80, 50), RED)


@pytest.mark.parametrize(
    ("source_size", "photo_size"),
    [
        ((4000, 3000), (800, 600)),
        ((3000, 4000), (600, 800)),
        ((800, 800), (800, 800)),
        ((100, 50), (100, 50)),  # Never enlarged.
    ],
)
def test_process_photo_fits_within_the_photo_size(source_size, photo_size):
    data = encoded(Image.new("RGB", source_size, GREEN), "JPEG")

    result = process_photo(upload(data))

    assert (result.width, result.height) == opened(result.photo).size == photo_size
    assert opened(result.thumbnail).size == (160, 160)


def test_process_photo_sizes_follow_settings(settings):
    settings.SPEAKER_PHOTO_SIZE = 400
    settings.SPEAKER_PHOTO_THUMBNAIL_SIZE = 64

    result = process_photo(upload(encoded(Image.new("RGB", (1000, 500), GREEN), "JPEG")))

    assert (result.width, result.height) == opened(result.photo).size == (400, 200)
    assert opened(result.thumbnail).size == (64, 64)


def test_process_photo_thumbnail_is_the_centre_square():
    image = Image.new("RGB", (300, 100), RED)
    image.paste(GREEN, (100, 0, 200, 100))
    image.paste(BLUE, (200, 0, 300, 100))

    result = process_photo(upload(encoded(image, "PNG")))

    thumbnail = opened(result.thumbnail)
    for corner in [(5, 5), (154, 5), (5, 154), (154, 154)]:
        assert_colour(thumbnail, corner, GREEN)


def test_process_photo_takes_the_first_frame_of_an_animation():
    first, *rest = [Image.new("RGB", (60, 40), colour) for colour in (RED, GREEN, BLUE)]
    data = encoded(first, "GIF", save_all=True, append_images=rest, duration=100, loop=0)
    assert opened(data).n_frames == 3

    result = process_photo(upload(data, name="photo.gif"))

    photo = opened(result.photo)
    assert (photo.format, photo.size, result.width, result.height) == ("JPEG", (60, 40), 60, 40)
    assert_colour(photo, (30, 20), RED)


def test_process_photo_accepts_webp():
    data = encoded(two_halves((300, 200), RED, BLUE), "WEBP", quality=90)

    result = process_photo(upload(data, name="photo.webp"))

    photo = opened(result.photo)
    assert (photo.format, photo.size) == ("JPEG", (300, 200))
    assert_colour(photo, (50, 100), RED)
    assert_colour(photo, (250, 100), BLUE)


@pytest.mark.parametrize(
    ("mode", "colour", "image_format", "expected"),
    [
        ("L", 0, "JPEG", (0, 0, 0)),
        ("CMYK", (0, 255, 255, 0), "JPEG", RED),
        ("P", 0, "PNG", (0, 0, 0)),
        ("I;16", 65535, "PNG", WHITE),
        ("LA", (0, 0), "PNG", WHITE),
        ("RGBA", (*BLUE, 255), "WEBP", BLUE),
    ],
)
def test_process_photo_makes_rgb_from_any_mode(mode, colour, image_format, expected):
    data = encoded(Image.new(mode, (40, 30), colour), image_format)

    result = process_photo(upload(data))

    photo = opened(result.photo)
    assert (photo.format, photo.mode, photo.size) == ("JPEG", "RGB", (40, 30))
    assert_colour(photo, (20, 15), expected)


def test_process_photo_judges_the_content_not_the_name():
    data = encoded(Image.new("RGB", (50, 50), BLUE), "PNG")

    result = process_photo(upload(data, name="notes.txt", content_type="text/plain"))

    assert (result.width, result.height) == (50, 50)


def test_process_photo_accepts_plain_file_objects(tmp_path):
    data = encoded(Image.new("RGB", (50, 40), BLUE), "JPEG")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)

    from_memory = process_photo(io.BytesIO(data))
    with path.open("rb") as from_disk:
        from_disk.read(10)  # Already partly read: the whole file still counts.
        from_file = process_photo(from_disk)

    assert isinstance(from_memory, ProcessedPhoto)
    assert (
        (from_memory.width, from_memory.height) == (from_file.width, from_file.height) == (50, 40)
    )


def over_one_megabyte():
    return b"\xff\xd8" + bytes(int(1.5 * 1024 * 1024) - 2)


def truncated_jpeg():
    data = encoded(Image.effect_noise((256, 256), 80).convert("RGB"), "JPEG")
    return data[: len(data) // 2]


def truncated_png():
    data = encoded(Image.effect_noise((256, 256), 80), "PNG")
    return data[: len(data) // 2]


def png_with_bad_checksum():
    """Pixels that decode, but the checksum of their chunk is wrong: only verify() notices."""
    data = bytearray(encoded(Image.effect_noise((64, 64), 80), "PNG"))
    start = data.index(b"IDAT") + 4
    (length,) = struct.unpack(">I", data[start - 8 : start - 4])
    data[start + length] ^= 0xFF
    return bytes(data)


SVG_WITH_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">
  <script>alert(document.cookie)</script>
  <rect width="100" height="100" fill="red"/>
</svg>
"""
# Valid JavaScript and the start of a GIF header: the classic image/script polyglot.
GIF_SCRIPT_POLYGLOT = b"GIF89a/*\x0a\x00\x0a\x00\x00\x00\x00*/=alert(document.domain);//" + b";"
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PDF_START = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

NOT_AN_IMAGE = "This file is not an image we can read (JPEG, PNG, WebP or GIF)."
DAMAGED = "The image is damaged or incomplete."
TOO_LARGE = "The image is too large; the limit is 40 megapixels."


@pytest.mark.parametrize(
    ("make_data", "limits", "message"),
    [
        pytest.param(
            over_one_megabyte,
            {"SPEAKER_PHOTO_MAX_BYTES": 1024 * 1024},
            "The photo is 1.5 MB; the limit is 1 MB.",
            id="over-the-byte-limit",
        ),
        pytest.param(
            lambda: bytes(5 * 1024 * 1024 + 1),
            {},
            "The photo is 5.1 MB; the limit is 5 MB.",
            id="one-byte-over-the-default-limit",
        ),
        pytest.param(
            lambda: bytes(300 * 1024),
            {"SPEAKER_PHOTO_MAX_BYTES": 200 * 1024},
            "The photo is 300 KB; the limit is 200 KB.",
            id="over-a-limit-in-kilobytes",
        ),
        pytest.param(
            lambda: png_of_blank_pixels(7000, 6000),
            {},
            "The image is too large: 7000 × 6000 pixels; the limit is 40 megapixels.",
            id="over-the-pixel-limit",
        ),
        pytest.param(
            lambda: png_of_blank_pixels(1500, 1001),
            {"SPEAKER_PHOTO_MAX_PIXELS": 1_500_000},
            "The image is too large: 1500 × 1001 pixels; the limit is 1.5 megapixels.",
            id="over-a-pixel-limit-from-settings",
        ),
        pytest.param(
            lambda: png_of_blank_pixels(10000, 10000),
            {},
            TOO_LARGE,
            id="decompression-bomb-pillow-warns-about",
        ),
        pytest.param(
            lambda: png_of_blank_pixels(20000, 20000),
            {},
            TOO_LARGE,
            id="decompression-bomb-pillow-refuses",
        ),
        pytest.param(truncated_jpeg, {}, DAMAGED, id="truncated-jpeg"),
        pytest.param(truncated_png, {}, DAMAGED, id="truncated-png"),
        pytest.param(png_with_bad_checksum, {}, DAMAGED, id="png-with-bad-checksum"),
        pytest.param(lambda: b"Not a photo at all.\n", {}, NOT_AN_IMAGE, id="text-named-jpg"),
        pytest.param(lambda: SVG_WITH_SCRIPT, {}, NOT_AN_IMAGE, id="svg-with-script"),
        pytest.param(lambda: GIF_SCRIPT_POLYGLOT, {}, NOT_AN_IMAGE, id="gif-javascript-polyglot"),
        pytest.param(lambda: HTML_PAGE, {}, NOT_AN_IMAGE, id="html"),
        pytest.param(lambda: PDF_START, {}, NOT_AN_IMAGE, id="pdf"),
        pytest.param(
            lambda: encoded(Image.new("RGB", (20, 20)), "BMP"), {}, NOT_AN_IMAGE, id="bmp"
        ),
        pytest.param(
            lambda: encoded(Image.new("RGB", (20, 20)), "TIFF"), {}, NOT_AN_IMAGE, id="tiff"
        ),
        pytest.param(
            lambda: encoded(Image.new("RGB", (32, 32)), "ICO"), {}, NOT_AN_IMAGE, id="ico"
        ),
        pytest.param(lambda: b"", {}, "The file is empty.", id="empty"),
    ],
)
def test_process_photo_refuses_with_a_message(settings, make_data, limits, message):
    for name, value in limits.items():
        setattr(settings, name, value)
    photo = upload(make_data())

    with pytest.raises(PhotoRejected) as raised:
        process_photo(photo)

    assert type(raised.value) is PhotoRejected
    assert raised.value.message == str(raised.value) == message


def test_process_photo_refuses_a_stream_of_unknown_length_over_the_limit(settings):
    settings.SPEAKER_PHOTO_MAX_BYTES = 1024
    read_end, write_end = os.pipe()
    os.write(write_end, bytes(2048))
    os.close(write_end)

    with open(read_end, "rb") as stream, pytest.raises(PhotoRejected) as raised:
        process_photo(stream)

    assert raised.value.message == "The photo is larger than the 1 KB limit."


def test_process_photo_reads_past_an_understated_size(settings):
    settings.SPEAKER_PHOTO_MAX_BYTES = 1024
    photo = upload(bytes(2048))
    photo.size = 10

    with pytest.raises(PhotoRejected) as raised:
        process_photo(photo)

    assert raised.value.message == "The photo is larger than the 1 KB limit."


# As a server may run: Pillow's warning is not turned into an error by anyone else.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_process_photo_refuses_what_pillow_warns_about_where_warnings_are_ignored(settings):
    settings.SPEAKER_PHOTO_MAX_PIXELS = 150_000_000  # Above Pillow's own 89.5 megapixels.
    bomb = png_of_blank_pixels(10000, 10000)

    with pytest.raises(PhotoRejected) as raised:
        process_photo(upload(bomb))

    assert raised.value.message == "The image is too large; the limit is 89.5 megapixels."


def test_decompression_bomb_is_small_and_refused_without_decoding():
    # What the refusal costs is measured by bench/hostile_inputs.py, not here.
    bomb = png_of_blank_pixels(20000, 20000)  # 400 megapixels: 1.2 GB once decoded as RGB.

    with pytest.raises(PhotoRejected) as raised:
        process_photo(upload(bomb))

    assert len(bomb) < 100_000
    assert "megapixels" in raised.value.message
