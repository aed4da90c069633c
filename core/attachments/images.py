"""What is kept of a photo or a printed copy: photos are turned upright, downscaled to
the configured long side, re-encoded (JPEG at the configured quality; the signature as
PNG, whose strokes JPEG would blur) and saved without any metadata, so EXIF location,
camera serial numbers and thumbnails never reach the disk. A printed copy must be a
PDF and is kept as it is. The result is deterministic: the same photo gives the same
bytes, hence the same sha256, and is stored once."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.attachments.kinds import (
    IMAGE_KINDS,
    AttachmentError,
    AttachmentKind,
    AttachmentOptions,
)

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Prepared:
    data: bytes
    media_type: str


def prepare(kind: AttachmentKind, data: bytes, options: AttachmentOptions) -> Prepared:
    """The bytes to store for ``data`` of ``kind`` (AttachmentError when unusable)."""
    if len(data) > options.max_input_bytes:
        raise AttachmentError(
            "ATTACHMENT_TOO_LARGE",
            size_mb=len(data) // (1024 * 1024),
            max_mb=options.max_input_bytes // (1024 * 1024),
        )
    if kind not in IMAGE_KINDS:
        if not data.startswith(PDF_MAGIC):
            raise AttachmentError("ATTACHMENT_NOT_PDF")
        return Prepared(data, "application/pdf")
    as_png = kind is AttachmentKind.SIGNATURE
    return Prepared(_image(data, options, as_png), "image/png" if as_png else "image/jpeg")


def _image(data: bytes, options: AttachmentOptions, as_png: bool) -> bytes:
    side = options.max_long_side_px
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.draft("RGB", (side, side))  # JPEG: decode at a reduced scale (fast)
                upright = ImageOps.exif_transpose(img)
                upright.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise AttachmentError("ATTACHMENT_NOT_IMAGE") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise AttachmentError(
            "ATTACHMENT_TOO_LARGE", size_mb=len(data) // (1024 * 1024), max_mb="-"
        ) from None
    if as_png:
        mode = "LA" if upright.mode in ("LA", "RGBA", "PA", "P") else "L"
        picture = upright.convert(mode)
    else:
        picture = upright.convert("RGB")
    picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # no exif=, icc_profile= or pnginfo=: nothing but the pixels is written
    if as_png:
        picture.save(out, format="PNG", optimize=False)
    else:
        picture.save(out, format="JPEG", quality=options.jpeg_quality, optimize=False)
    return out.getvalue()


__all__ = ["PDF_MAGIC", "Prepared", "prepare"]
