"""A document's PDF through LibreOffice headless (Debian's libreoffice-writer-nogui): one conversion at a time on
the machine (a file lock), a profile directory of its own for each run (a user's or another run's profile never
interferes), a timeout after which the whole process group is killed. Times New Roman is not installable here:
fontconfig's metric aliases (fonts-liberation2) lay the text out in Liberation Serif, same metrics."""

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings


class PdfError(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout() -> int:
    return getattr(settings, "PDF_TIMEOUT_SECONDS", 120)


def lock_path() -> Path:
    return Path(getattr(settings, "PDF_LOCK_FILE", Path(tempfile.gettempdir()) / "dentruong-pdf.lock"))


def convert(docx: bytes) -> bytes:
    """The PDF of a .docx (PdfError when LibreOffice is missing, fails or runs past the timeout)."""
    program = soffice()
    if not program:
        raise PdfError("LibreOffice (soffice) is not installed")
    with open(lock_path(), "a") as lock, tempfile.TemporaryDirectory(prefix="dentruong-pdf-") as work:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one at a time: LibreOffice is memory-hungry and the machine small
        try:
            source = Path(work) / "document.docx"
            source.write_bytes(docx)
            profile = Path(work) / "profile"
            command = [
                program,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                work,
                str(source),
            ]
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                env={**os.environ, "HOME": work},
            )
            try:
                _out, err = process.communicate(timeout=timeout())
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
                raise PdfError(f"LibreOffice took longer than {timeout()} s") from None
            result = Path(work) / "document.pdf"
            if process.returncode != 0 or not result.exists():
                raise PdfError(f"LibreOffice failed ({process.returncode}): {err.decode(errors='replace')[-300:]}")
            return result.read_bytes()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
