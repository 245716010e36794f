"""Checks at the register's boundary: a review code that is a code, no one's name in a code or title, and files
that are what they claim to be.

Reviews are published and shared across the region, so a name typed into the code or the title would travel with
them. A word that is the given or family name of anyone on Cylch's register of people is refused.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cylch.people.models import Person, PersonName

CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9]{1,7}(-[A-Z0-9]{1,8}){1,3}")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def review_code_clean(value: str) -> str:
    """'ctm-2024-03 ' -> 'CTM-2024-03'; anything that is not letters and digits in hyphenated parts is refused.

    >>> review_code_clean(" ctm-2024-03")
    'CTM-2024-03'
    """
    code = value.strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        raise ValidationError(
            _("Enter a review code such as CTM-2024-03: letters and numbers in parts joined by hyphens"),
            code="code_format",
        )
    return code


def _words(text: str, *, capitalised_only: bool) -> set[str]:
    """Each word, and each compound too ("Lloyd-Jones", "O'Neill"), so a possessive or a double-barrelled name
    is matched either way; in running text only capitalised words, as names are written ("a young person" is not
    a name, "Young" may be)."""
    words = [*re.findall(r"[^\W\d_]{2,}", text), *re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)+", text)]
    return {word.lower() for word in words if not capitalised_only or word[0].isupper()}


def names_in(text: str, *, capitalised_only: bool = True) -> list[str]:
    """The words of `text` that are someone's given or family name (current or former) on the register."""
    words = _words(text, capitalised_only=capitalised_only)
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(given_name__iexact=word) | Q(family_name__iexact=word)
    found = set()
    for model in (Person, PersonName):
        for given, family in model.objects.filter(match).values_list("given_name", "family_name")[:50]:
            found |= {name.lower() for name in (given, family) if name and name.lower() in words}
    return sorted(found)


def no_names(text: str, *, field_label: str, capitalised_only: bool = True) -> None:
    """Refuse `text` if it holds a registered person's name, saying which word (the writer must see what to
    change; a board officer may know that a word is someone's name)."""
    found = names_in(text, capitalised_only=capitalised_only)
    if found:
        raise ValidationError(
            _(
                "%(field)s must not contain anyone's name: “%(word)s” is a name on the register. Use the review "
                "code and describe the incident without names"
            ),
            params={"field": field_label, "word": found[0].capitalize()},
            code="contains_name",
        )


def document_type(content: bytes) -> str:
    """The content type a file really has, judged by its bytes: a PDF, or a Word document (a zip holding
    `word/document.xml`); anything else, whatever its name, is refused."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return DOCX
    raise ValidationError(_("The file must be a PDF or a Word document (DOCX)"), code="file_type")


def document_text(content: bytes, content_type: str) -> str:
    """The words of a PDF or DOCX, for the library's search (a damaged file is refused, not stored half-read)."""
    try:
        if content_type == PDF:
            from pypdf import PdfReader

            return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
        from docx import Document

        document = Document(io.BytesIO(content))
        cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
        return "\n".join([*(p.text for p in document.paragraphs), *cells])
    except Exception as error:
        raise ValidationError(
            _("The file could not be read: it may be damaged or protected"), code="file_unreadable"
        ) from error
