"""Forged files through the attachment checker (apps.documents.attachments.accept): every file is either accepted
as one of the types it allows, with the extension of the type found, or refused with a message naming it; no
other exception escapes, and the memory it takes stays bounded. Printed: files tried, refused, accepted, crashes."""

import collections
import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

from apps.documents import attachments
from tests.quality import fuzz_strategies as fs

STATS = collections.Counter()
MEMORY = 96 * 2**20  # beyond the file: one decoded image within the pixel limit of the fuzz settings


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def image(fmt: str, size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, fmt)
    return out.getvalue()


def office(kind: str) -> bytes:
    if kind == "xlsx":
        return fs._xlsx_bytes([["Họ tên", "Số tiền"], ["Nguyễn Văn An", 100000]])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>" * 50)
    return out.getvalue()


SEEDS = {
    "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "jpeg": image("JPEG"),
    "png": image("PNG"),
    "xlsx": office("xlsx"),
    "docx": office("docx"),
    "bomb-png": png_header(100_000, 100_000) + b"\x00" * 64,
    "zero-png": png_header(0, 0),
    "text": "Biên bản họp".encode(),
    "empty": b"",
}


@st.composite
def forged(draw):
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = SEEDS[kind]
    if kind in ("xlsx", "docx") and draw(st.booleans()):
        _how, change = draw(fs.dimension_edit())
        data = fs.rezip(data, change)
    data = draw(fs.corruption(data))
    if draw(st.integers(0, 4)) == 0:
        data += draw(st.binary(max_size=256))
    name = draw(
        st.one_of(
            st.sampled_from(
                [
                    "bien-ban.pdf",
                    "anh.jpg",
                    "anh.JPEG",
                    "anh.png",
                    "ds.xlsx",
                    "qd.docx",
                    "x.exe",
                    "../../etc/passwd",
                    "C:\\tmp\\anh.png",
                    "",
                    "   ",
                    "a" * 400 + ".pdf",
                ]
            ),
            st.text(max_size=30),
        )
    )
    return name, data


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.ATTACHMENT_MAX_PIXELS = 4_000_000
    settings.ATTACHMENT_MAX_UNCOMPRESSED_BYTES = 4 * 2**20
    for name, value in fs.LIMITS.items():
        setattr(settings, name, value)


def test_forged_files_are_accepted_as_their_type_or_refused_by_name():
    crashes = []

    @settings(
        max_examples=fs.examples(150),
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(file=forged())
    def each(file):
        name, data = file
        STATS["tried"] += 1
        tracemalloc.start()
        try:
            accepted = attachments.accept(name, data)
        except ValidationError as exc:
            STATS["refused"] += 1
            shown = attachments.os.path.basename(str(name).replace("\\", "/")).strip()[:150] or "tep"
            if shown not in " ".join(exc.messages):
                crashes.append(f"{name!r}: refused without naming it: {exc.messages}")
        except Exception as exc:
            STATS["crashes"] += 1
            crashes.append(f"{name!r} ({len(data)} B {data[:40]!r}): {type(exc).__name__}: {exc}")
        else:
            STATS["accepted"] += 1
            extensions = attachments.EXTENSIONS[accepted.content_type]
            if not accepted.filename.lower().endswith(extensions):
                crashes.append(f"{name!r}: accepted as {accepted.filename} ({accepted.content_type})")
        finally:
            _size, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        if peak > MEMORY + 40 * len(data):
            crashes.append(f"{name!r}: {peak / 2**20:.0f} MB for {len(data)} B")

    each()
    assert not crashes, f"{len(crashes)} forged files went wrong; the first:\n" + "\n".join(crashes[:5])


@pytest.fixture(scope="module", autouse=True)
def _print_figures(request):
    yield
    if STATS:
        fs.print_figures(
            request,
            f"\nAttachment fuzzing: {STATS['tried']} files tried, {STATS['refused']} refused, "
            f"{STATS['accepted']} accepted, {STATS['crashes']} crashes",
        )
