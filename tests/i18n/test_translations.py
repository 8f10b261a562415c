"""The Welsh catalogue covers every interface string: nothing untranslated, nothing fuzzy.

`makemessages` runs over the project into a temporary copy of the catalogue (never the real
one), so a string marked for translation since the catalogue was last updated shows up here
as missing, just as it would to a reader of the Welsh interface.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES"
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)
# What `make messages` leaves out, and what is not source.
NOT_SOURCE = {".venv", ".git", "locale", "tests", "media", "staticfiles", "node_modules"}

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgfmt") is None,
    reason="needs GNU gettext (apt-get install gettext)",
)


def entries(po: Path) -> list[dict]:
    """The catalogue's entries: msgid, msgid_plural, msgstr forms and flags (no polib needed)."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": [], "msgid": None, "plural": None, "msgstr": {}}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif match := re.match(
                r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d)\])?) (".*")$', line
            ):
                keyword, index, text = match.groups()
                field = {"msgid_plural": "plural", "msgctxt": "context"}.get(keyword, keyword)
                if keyword.startswith("msgstr"):
                    field = ("msgstr", int(index or 0))
                    entry["msgstr"][field[1]] = ""
                text = text[1:-1]
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] += text
                else:
                    entry[field] = text
            elif line.startswith('"') and field is not None:
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] += line[1:-1]
                else:
                    entry[field] += line[1:-1]
        if entry["msgid"] is not None:
            found.append(entry)
    return found


def problems(po: Path) -> list[str]:
    found = []
    for entry in entries(po):
        if entry["msgid"] == "":
            continue
        label = entry["msgid"][:80]
        if "fuzzy" in entry["flags"]:
            found.append(f"fuzzy: {label}")
        elif not all(entry["msgstr"].values()) or not entry["msgstr"]:
            found.append(f"untranslated: {label}")
        elif entry["plural"] is not None and len(entry["msgstr"]) != 6:
            found.append(f"{len(entry['msgstr'])} plural forms, not 6: {label}")
    return found


def test_the_catalogue_has_six_welsh_plural_forms_and_no_fuzzy_or_empty_entry():
    po = CATALOGUE / "django.po"
    header = entries(po)[0]["msgstr"][0]
    assert f"Plural-Forms: {WELSH_PLURALS}\\n" in header
    assert problems(po) == []


@needs_gettext
def test_every_interface_string_has_a_welsh_translation(tmp_path, monkeypatch, settings):
    project = tmp_path / "project"
    project.mkdir()
    for path in settings.BASE_DIR.iterdir():
        if path.name not in NOT_SOURCE and not path.name.startswith("."):
            (project / path.name).symlink_to(path)
    locale = project / "locale"
    (locale / "cy" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", locale / "cy" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(project)
    call_command("makemessages", locale=["cy"], symlinks=True, no_obsolete=True, verbosity=0)
    missing = problems(locale / "cy" / "LC_MESSAGES" / "django.po")
    assert missing == [], "run `make messages` and translate:\n" + "\n".join(missing)


@needs_gettext
def test_the_committed_mo_file_is_the_compiled_catalogue(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", compiled, CATALOGUE / "django.po"], check=True
    )
    with compiled.open("rb") as fresh, (CATALOGUE / "django.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(fresh)._catalog
        ), "run `make messages` (compilemessages) and commit locale/cy/LC_MESSAGES/django.mo"
