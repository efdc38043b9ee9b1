"""The one check every uploaded file goes through before it is stored (case evidence, report and
incident photos, checklist evidence, handover photos).

The type is found by decoding the content, never from the uploader's name or declared type:
an image must decode whole with Pillow as JPEG or PNG; a PDF must parse with pypdf and carry no
active content (scripts, actions run on opening, launched programs, embedded files, rich media),
looked for in every object reachable from the trailer — including those packed in compressed
object streams. The file is then stored under a name of our choosing (a random hex name with the
extension of the detected type), so that a file called `poly.html` is never served as HTML; the
uploader's name is kept only as text, for display.
"""

import hashlib
import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

JPEG, PNG, PDF = "jpeg", "png", "pdf"
PHOTO_KINDS = frozenset({JPEG, PNG})
DOCUMENT_KINDS = frozenset({JPEG, PNG, PDF})
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", PDF: "application/pdf"}
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
_NAMES = {JPEG: "JPEG", PNG: "PNG", PDF: "PDF"}

MAX_PHOTO_BYTES = 5 * 1024 * 1024

# PDF names that make a viewer act on its own: run JavaScript, act on opening or on events, launch
# a program, carry files, play rich media.
ACTIVE_PDF_NAMES = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"})
# Objects looked at in one PDF at most: a scanned document has hundreds; beyond this the file is
# refused rather than walked for minutes.
MAX_PDF_OBJECTS = 200_000


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed `check_upload`: the content to store under `file.name` (ours)."""

    file: ContentFile
    kind: str
    content_type: str
    sha256: str
    size: int
    original_name: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


def _kind_by_signature(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _image_decodes(data: bytes, kind: str) -> bool:
    """Whether `data` is a whole JPEG/PNG of that kind: `verify()` checks the structure (and PNG's
    checksums), a second open with `load()` decodes every pixel."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != _NAMES[kind]:
                return False
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def active_pdf_content(data: bytes) -> str | None:
    """The first active-content name found in the PDF `data` (e.g. "/JavaScript"), or None.
    ValueError if it cannot be read as a PDF (or has more than MAX_PDF_OBJECTS objects)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        stack = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        visited = 0
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                ref = (item.idnum, item.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                item = item.get_object()
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            if isinstance(item, DictionaryObject):
                for key, value in item.items():
                    if key in ACTIVE_PDF_NAMES:
                        return str(key)
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(item)
            elif isinstance(item, NameObject) and item in ACTIVE_PDF_NAMES:
                return str(item)
    except (PdfReadError, OSError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise ValueError(str(error)) from None
    return None


def check_upload(upload, *, kinds: frozenset[str] = DOCUMENT_KINDS, max_bytes: int, field: str | None = None) -> CheckedFile:
    """`upload` (a Django UploadedFile or File) checked by its content, as a CheckedFile to store,
    or ValidationError in Indonesian naming the file (under `field`, if given)."""
    name = str(getattr(upload, "name", "") or "berkas").rsplit("/", 1)[-1]
    names = [_NAMES[kind] for kind in (PDF, JPEG, PNG) if kind in kinds]
    allowed = ", ".join(names[:-1]) + " atau " + names[-1] if len(names) > 1 else names[0]

    def refuse(message: str):
        return ValidationError({field: [message]} if field else message)

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise refuse(f"{name}: terlalu besar ({size / 1024 / 1024:.1f} MB); paling besar {max_bytes // 1024 // 1024} MB.")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise refuse(f"{name}: terlalu besar; paling besar {max_bytes // 1024 // 1024} MB.")
    kind = _kind_by_signature(data[:8])
    if kind is None or kind not in kinds:
        raise refuse(f"{name}: bukan {allowed}. Pindai dokumen ke PDF atau foto ke JPEG.")
    if kind == PDF:
        try:
            active = active_pdf_content(data)
        except ValueError:
            raise refuse(f"{name}: PDF ini rusak atau tidak dapat dibaca. Simpan ulang atau pindai ulang ke PDF.") from None
        if active is not None:
            raise refuse(
                f"{name}: PDF ini berisi konten aktif ({active.lstrip('/')}: skrip, tindakan otomatis atau berkas sisipan) dan ditolak. "
                "Cetak ulang ke PDF biasa (Print → Save as PDF) atau pindai dokumennya."
            )
    elif not _image_decodes(data, kind):
        raise refuse(f"{name}: bukan gambar {_NAMES[kind]} yang utuh. Kirim ulang fotonya sebagai JPEG atau PNG.")
    stored = ContentFile(data, name=f"{uuid.uuid4().hex}{EXTENSIONS[kind]}")
    return CheckedFile(file=stored, kind=kind, content_type=CONTENT_TYPES[kind], sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name=name)


def checked_photo(upload) -> ContentFile:
    """A photo (JPEG or PNG, at most MAX_PHOTO_BYTES) checked by its content, as a file named by us."""
    return check_upload(upload, kinds=PHOTO_KINDS, max_bytes=MAX_PHOTO_BYTES).file
