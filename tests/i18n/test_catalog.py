"""The English catalog is complete: every string our code marks for translation has a real English
translation (none empty, none fuzzy), and the committed compiled catalog (.mo) says the same as the .po.

The source language is Chinese (zh-hans), so the Chinese site needs no catalog: its msgids are the text."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import require_service

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en/LC_MESSAGES/django.po"
EN_MO = LOCALE / "en/LC_MESSAGES/django.mo"


def _key(entry) -> tuple[str, str, str]:
    return entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""


def _translations(catalog) -> dict:
    return {_key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in catalog if e.msgid}


def _gaps(catalog) -> list[str]:
    """msgids that would show Chinese on the English site: untranslated, fuzzy or half-pluralized."""
    gaps = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        if "fuzzy" in entry.flags:
            gaps.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural and not all(entry.msgstr_plural.values()):
            gaps.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgid_plural and not entry.msgstr:
            gaps.append(f"untranslated: {entry.msgid!r}")
    return gaps


def test_every_entry_of_the_english_catalog_is_translated():
    gaps = _gaps(polib.pofile(str(EN_PO)))
    assert not gaps, "locale/en/LC_MESSAGES/django.po has entries without English:\n" + "\n".join(gaps)


def test_compiled_english_catalog_matches_the_po_file():
    """The site reads the .mo; a .po edited without `manage.py compilemessages` would not reach readers."""
    po = _translations(polib.pofile(str(EN_PO)))
    mo = _translations(polib.mofile(str(EN_MO)))
    stale = sorted(k[1] for k in po.keys() ^ mo.keys()) + sorted(
        k[1] for k in po.keys() & mo.keys() if po[k] != mo[k])
    assert not stale, "django.mo is out of date with django.po; run `manage.py compilemessages -l en`:\n" + \
        "\n".join(stale[:20])


def test_catalog_covers_every_string_in_the_code(tmp_path, settings, monkeypatch):
    """Runs our makemessages (cms/management/commands/makemessages.py) against the code and merges the
    committed catalog into the result: a string added or changed in the code without an English
    translation shows up here as untranslated or fuzzy."""
    require_service("GNU gettext", bool(shutil.which("xgettext") and shutil.which("msgmerge")),
                    "xgettext/msgmerge missing; run services/gettext.sh")
    work = tmp_path / "tree"
    work.mkdir()
    # The code is linked, not copied; only the catalog is a private copy the extraction may rewrite.
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name != "locale":
            os.symlink(entry, work / entry.name)
    (work / "locale/en/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(EN_PO, work / "locale/en/LC_MESSAGES/django.po")
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(work)

    call_command("makemessages", locale=["en"], symlinks=True, no_obsolete=True, verbosity=0)

    extracted = polib.pofile(str(work / "locale/en/LC_MESSAGES/django.po"))
    gaps = _gaps(extracted)
    assert not gaps, ("strings in the code without English (add them to locale/en/LC_MESSAGES/django.po, "
                      "see README 'Translations'):\n" + "\n".join(gaps))
    committed = {_key(e) for e in polib.pofile(str(EN_PO)) if not e.obsolete}
    in_code = {_key(e) for e in extracted if not e.obsolete}
    assert committed == in_code, ("the committed catalog is not what makemessages produces now; re-run it:\n"
                                  + "\n".join(repr(k[1]) for k in sorted(committed ^ in_code)[:20]))


@pytest.mark.parametrize("msgid", ["技术需求", "科技成果", "中试基地", "搜索", "登录"])
def test_main_labels_read_as_english_in_the_english_catalog(msgid):
    """A spot check that the catalog holds English, not a copy of the Chinese."""
    entry = polib.pofile(str(EN_PO)).find(msgid)
    assert entry is not None and entry.msgstr and not any("\u4e00" <= c <= "\u9fff" for c in entry.msgstr)
