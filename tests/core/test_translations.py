"""The Welsh catalogue is complete, current and compiled: Welsh Language Standards apply to every page.

A message added to the source without a Welsh translation fails here, not in front of a Welsh speaker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

import cylch
from tests.factories import PractitionerFactory

PACKAGE_DIR = Path(cylch.__file__).resolve().parent
CATALOGUE_DIR = PACKAGE_DIR / "locale" / "cy" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"
FIX = "Run `cd src/cylch && cylch makemessages -l cy --no-obsolete`, translate, then `cylch compilemessages`."


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def _translations(catalogue: polib._BaseFile) -> dict[tuple[str | None, str, str], object]:
    return {
        _key(entry): (tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr)
        for entry in catalogue
        if entry.msgid and not entry.obsolete
    }


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    """Every message in the source, extracted by makemessages from a copy (the real catalogue is untouched)."""
    copy = tmp_path_factory.mktemp("messages") / "cylch"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "static_src", "__pycache__", "*.pyc"),
    )
    (copy / "locale").mkdir()
    previous = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["cy"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(previous)
    return polib.pofile(str(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def committed() -> polib.POFile:
    return polib.pofile(str(PO_FILE))


def test_every_message_in_the_source_is_in_the_welsh_catalogue(source_messages, committed):
    assert len(source_messages) > 100, "makemessages found almost nothing: is xgettext installed?"
    missing = sorted({_key(e) for e in source_messages if e.msgid} - {_key(e) for e in committed}, key=str)
    assert not missing, f"{len(missing)} message(s) missing from {PO_FILE.name}: {missing[:20]}. {FIX}"


def test_every_message_is_translated_and_none_is_fuzzy_or_obsolete(committed):
    untranslated = [e.msgid for e in committed.untranslated_entries()]
    fuzzy = [e.msgid for e in committed.fuzzy_entries()]
    obsolete = [e.msgid for e in committed.obsolete_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}. {FIX}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}. {FIX}"
    assert not obsolete, f"obsolete: {obsolete[:20]}. {FIX}"


def test_plural_forms_are_welsh(committed):
    assert committed.metadata["Language"] == "cy"
    assert committed.metadata["Plural-Forms"].startswith("nplurals=4;")
    for entry in committed:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 4 and all(entry.msgstr_plural.values()), entry.msgid  # noqa: PT018


def test_the_catalogue_passes_msgfmt_format_checks(tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed to compile translations (apt-get install gettext)"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [msgfmt, "--check-format", "-o", str(tmp_path / "check.mo"), str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_committed_mo_file_is_compiled_from_the_committed_po_file(committed, tmp_path):
    assert MO_FILE.exists(), f"{MO_FILE} is missing. {FIX}"
    fresh = tmp_path / "fresh.mo"
    committed.save_as_mofile(str(fresh))
    assert _translations(polib.mofile(str(MO_FILE))) == _translations(polib.mofile(str(fresh))), (
        f"{MO_FILE.name} is out of date with {PO_FILE.name}: run `cylch compilemessages`."
    )


@pytest.mark.django_db
def test_the_home_page_in_welsh(client):
    client.force_login(PractitionerFactory())
    client.cookies["cylch_language"] = "cy"
    page = client.get("/").content.decode()
    assert '<html lang="cy"' in page
    assert "Allgofnodi" in page
    assert "Dod o hyd i berson" in page
    assert "Y plant y mae eich asiantaeth yn gweithio gyda nhw" in page
    assert "Sign out" not in page
