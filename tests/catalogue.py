"""A small reader for the gettext .po files (enough for our own catalogues; no dependency)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "directory" / "locale"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)  # index -> text (0 for singular entries)
    flags: set = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text):
    return ast.literal_eval(text)


def read(path):
    """The entries of a .po file, header (empty msgid) included."""
    entries, entry, key = [], Entry(), None

    def flush():
        nonlocal entry, key
        if key is not None:
            entries.append(entry)
        entry, key = Entry(), None

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            if key is not None:
                flush()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            text = _unquote(line)
            if key == "msgid":
                entry.msgid += text
            elif key == "msgid_plural":
                entry.msgid_plural += text
            elif key == "msgctxt":
                entry.msgctxt += text
            else:
                entry.msgstr[key] += text
            continue
        keyword, _space, value = line.partition(" ")
        if keyword == "msgctxt" or (keyword == "msgid" and key not in (None, "msgctxt")):
            flush()
        if keyword == "msgctxt":
            entry.msgctxt, key = _unquote(value), "msgctxt"
        elif keyword == "msgid":
            entry.msgid, key = _unquote(value), "msgid"
        elif keyword == "msgid_plural":
            entry.msgid_plural, key = _unquote(value), "msgid_plural"
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index], key = _unquote(value), index
    flush()
    return entries


def catalogues():
    """{language code: path} for every committed catalogue."""
    return {path.parent.parent.name: path for path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))}
