"""Speaker photos: check an upload really is a safe image and re-encode it for storage.

``process_photo`` takes an uploaded file and returns clean JPEG bytes for the stored photo
and for the small square thumbnail the public pages show, or raises ``PhotoRejected`` with
a message fit to show the speaker. It decides by the file's content, never its name or
content type, and it writes nothing: storing the result is the caller's job, so a refused
file leaves nothing behind.
"""

import math
import struct
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_SIZE = 800
DEFAULT_THUMBNAIL_SIZE = 160
JPEG_QUALITY = 85

# Pillow tries only these decoders, so SVG, BMP, TIFF, ICO, PDF and the rest are never parsed.
READABLE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# The JPEG decoder reports phone pictures carrying a second image (multi-picture) as MPO.
ACCEPTED_FORMATS = {*READABLE_FORMATS, "MPO"}

NOT_AN_IMAGE = _("This file is not an image we can read (JPEG, PNG, WebP or GIF).")
DAMAGED = _("The image is damaged or incomplete.")
EMPTY = _("The file is empty.")

# What Pillow raises on malformed input; its own fuzzing tests expect the same set.
DECODING_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    NotImplementedError,
    OverflowError,
    MemoryError,
)


class PhotoRejected(ValueError):
    """The upload is not a photo we will store; ``message`` says why, for the speaker."""

    def __init__(self, message):
        message = str(message)  # in the language of the request that raised it
        super().__init__(message)
        self.message = message


@dataclass
class ProcessedPhoto:
    """JPEG bytes without metadata: the photo (``width`` × ``height``) and its square thumbnail."""

    photo: bytes
    thumbnail: bytes
    width: int
    height: int


def process_photo(file):
    """Check ``file`` (an UploadedFile or any binary file object) and re-encode it.

    Raises ``PhotoRejected`` for anything that is too big, not a JPEG, PNG, WebP or GIF,
    over the pixel limit (decompression bombs included) or damaged.
    """
    max_bytes = getattr(settings, "SPEAKER_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    # Pillow refuses anything over its own limit first, so ours can only be lower.
    max_pixels = getattr(settings, "SPEAKER_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    max_pixels = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    size = getattr(settings, "SPEAKER_PHOTO_SIZE", DEFAULT_SIZE)
    thumbnail_size = getattr(settings, "SPEAKER_PHOTO_THUMBNAIL_SIZE", DEFAULT_THUMBNAIL_SIZE)

    data = _read_within_limit(file, max_bytes)
    if not data:
        raise PhotoRejected(EMPTY)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; treat both as refusals.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _decode(data, max_pixels=max_pixels, size=size)
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    except PhotoRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise PhotoRejected(
            gettext("The image is too large; the limit is %(limit)s megapixels.")
            % {"limit": _megapixels(max_pixels)}
        ) from error
    except Image.UnidentifiedImageError as error:
        raise PhotoRejected(NOT_AN_IMAGE) from error
    except DECODING_ERRORS as error:
        raise PhotoRejected(DAMAGED) from error

    image.thumbnail((size, size), Image.Resampling.LANCZOS)  # Shrinks only, keeps the aspect.
    photo = _on_white(image)
    thumbnail = ImageOps.fit(photo, (thumbnail_size, thumbnail_size), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        photo=_jpeg(photo), thumbnail=_jpeg(thumbnail), width=photo.width, height=photo.height
    )


def _read_within_limit(file, limit):
    """The file's bytes, refusing before reading more than ``limit`` + 1 of them."""
    seekable = getattr(file, "seekable", lambda: False)()
    size = getattr(file, "size", None)
    if size is None and seekable:
        size = file.seek(0, 2)
    if size is not None and size > limit:
        raise PhotoRejected(
            gettext("The photo is %(size)s; the limit is %(limit)s.")
            % {"size": _file_size(size, round_up=True), "limit": _file_size(limit)}
        )
    if seekable:
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:  # A stream of unknown length, or a ``size`` that understated it.
        raise PhotoRejected(
            gettext("The photo is larger than the %(limit)s limit.") % {"limit": _file_size(limit)}
        )
    return data


def _decode(data, *, max_pixels, size):
    """The first frame, fully decoded, after checks that cost no pixel decoding."""
    image = Image.open(BytesIO(data), formats=READABLE_FORMATS)  # Reads the header only.
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(NOT_AN_IMAGE)
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoRejected(
            gettext(
                "The image is too large: %(width)s × %(height)s pixels; "
                "the limit is %(limit)s megapixels."
            )
            % {"width": width, "height": height, "limit": _megapixels(max_pixels)}
        )
    image.verify()
    # verify() leaves the image unusable; open it again to decode the pixels.
    image = Image.open(BytesIO(data), formats=READABLE_FORMATS)
    # A JPEG can decode at 1/2, 1/4 or 1/8 scale, still no smaller than the photo we keep.
    image.draft("RGB", (size, size))
    image.load()  # A truncated file fails here: LOAD_TRUNCATED_IMAGES stays off.
    return image


def _on_white(image):
    """A new RGB image of ``image`` on white: transparency flattened, no metadata carried."""
    canvas = Image.new("RGB", image.size, "white")
    canvas.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    return canvas


def _jpeg(image):
    # Only the pixels are encoded: no exif=, icc_profile= or comment= is passed.
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _file_size(count, *, round_up=False):
    """``5 MB``, ``7.3 MB``, ``200 KB``; rounded up where a size over the limit must read so."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            value = count / scale
            if round_up:
                value = math.ceil(value * 10) / 10
            return f"{value:.1f}".removesuffix(".0") + f" {unit}"
    return ngettext("%(count)s byte", "%(count)s bytes", count) % {"count": count}


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")
