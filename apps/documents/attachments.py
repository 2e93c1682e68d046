"""What an attachment may be, told by its content, never by its name: PDF, JPEG, PNG, DOCX, XLSX.

Images are decoded with Pillow under a pixel limit checked from the header before any decoding (a decompression
bomb is refused unread) and re-encoded from their pixels alone: EXIF (GPS location, camera, time), text chunks and
profiles are left behind; the orientation is applied first, so the photo still stands up. DOCX and XLSX must be
zip archives of the right structure; their members are inflated as a stream against a limit (an XLSX through
`apps.core.sheetguard`, the import layer's guard), so a zip bomb stops at the limit. Limits are settings:
ATTACHMENT_MAX_BYTES (upload size), ATTACHMENT_MAX_PIXELS, ATTACHMENT_MAX_UNCOMPRESSED_BYTES."""

import io
import os
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core import sheetguard

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), DOCX: (".docx",), XLSX: (".xlsx",)}
CHUNK = 1 << 20


def max_bytes() -> int:
    return getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 2**20)


def max_pixels() -> int:
    return getattr(settings, "ATTACHMENT_MAX_PIXELS", 40_000_000)


def max_uncompressed() -> int:
    return getattr(settings, "ATTACHMENT_MAX_UNCOMPRESSED_BYTES", 200 * 2**20)


@dataclass(frozen=True)
class Accepted:
    filename: str  # the name given, without any path, its extension the one of the type found
    content_type: str
    data: bytes


def _refuse(message: str, **values):
    raise ValidationError(message % values)


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


def _inflate_within(name: str, archive: zipfile.ZipFile) -> None:
    """Every member inflated as a stream, stopping at the limit (declared sizes may lie)."""
    limit = max_uncompressed()
    if sum(info.file_size for info in archive.infolist()) > limit:
        _refuse(_("Tệp %(file)s khi giải nén vượt quá %(max)s MB: không nhận."), file=name, max=limit // 2**20)
    seen = 0
    for info in archive.infolist():
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                seen += len(chunk)
                if seen > limit:
                    _refuse(
                        _("Tệp %(file)s khi giải nén vượt quá %(max)s MB: không nhận."), file=name, max=limit // 2**20
                    )


def _office(name: str, data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except sheetguard.DAMAGED:
        _refuse(_("Tệp %(file)s không phải tệp Word hay Excel hợp lệ."), file=name)
    with archive:
        try:
            return _office_type(name, archive, data)
        except sheetguard.TooLarge as exc:
            raise ValidationError(str(exc)) from None
        except sheetguard.DAMAGED:  # a member that does not inflate (bad CRC, broken stream, cut short)
            _refuse(_("Tệp %(file)s không phải tệp Word hay Excel hợp lệ."), file=name)


def _office_type(name: str, archive: zipfile.ZipFile, data: bytes) -> str:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        _refuse(_("Tệp %(file)s không phải tệp Word hay Excel hợp lệ."), file=name)
    if "word/document.xml" in names:
        _inflate_within(name, archive)
        return DOCX
    if "xl/workbook.xml" in names:
        sheetguard.prescan_xlsx(name, data)
        _inflate_within(name, archive)
        return XLSX
    _refuse(_("Tệp %(file)s không phải tệp Word hay Excel hợp lệ."), file=name)


def _reencode(name: str, data: bytes, content_type: str) -> bytes:
    """The image's pixels alone, re-encoded (no EXIF, no text chunks), after a pixel limit read from the header."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # from the header: nothing is decoded yet
            if width * height > max_pixels():
                _refuse(
                    _("Ảnh %(file)s có %(w)s × %(h)s điểm ảnh: quá giới hạn %(max)s triệu điểm."),
                    file=name,
                    w=width,
                    h=height,
                    max=max_pixels() // 1_000_000,
                )
            # A phone's JPEG is often MPO (a JPEG with a second, embedded picture): its first frame is the photo.
            if {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}.get(image.format) != content_type:
                _refuse(_("Tệp %(file)s không phải ảnh JPEG hay PNG hợp lệ."), file=name)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        _refuse(_("Tệp %(file)s không phải ảnh JPEG hay PNG hợp lệ."), file=name)
    if content_type == JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.frombytes(image.mode, image.size, image.tobytes())  # pixels only: no info, no EXIF
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, "JPEG", quality=90, optimize=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def accept(filename: str, data: bytes) -> Accepted:
    """The file as it will be stored, or ValidationError with a Vietnamese message naming it."""
    name = os.path.basename(str(filename).replace("\\", "/")).strip()[:150] or "tep"
    if len(data) > max_bytes():
        _refuse(_("Tệp %(file)s lớn hơn %(max)s MB: không nhận."), file=name, max=max_bytes() // 2**20)
    found = _sniff(data)
    if found == "zip":
        found = _office(name, data)
    if not found:
        _refuse(_("Tệp %(file)s không thuộc loại được nhận (PDF, JPEG, PNG, DOCX, XLSX)."), file=name)
    stem, extension = os.path.splitext(name)
    if extension.lower() not in EXTENSIONS[found]:
        _refuse(
            _("Tệp %(file)s mang đuôi %(ext)s nhưng nội dung là %(kind)s: không nhận."),
            file=name,
            ext=extension or "(không có)",
            kind=EXTENSIONS[found][0].lstrip(".").upper(),
        )
    if found in (JPEG, PNG):
        data = _reencode(name, data, found)
    elif found == PDF and b"%%EOF" not in data[-2048:]:
        _refuse(_("Tệp %(file)s không phải tệp PDF hoàn chỉnh."), file=name)
    return Accepted(filename=f"{stem}{EXTENSIONS[found][0]}", content_type=found, data=data)
