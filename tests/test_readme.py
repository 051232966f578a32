"""An operator configures the site from the README: every environment variable the settings read is in
its table; the architecture page names every dependency with the reason it is there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def section(text, start, end):
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


def test_readme_table_names_every_environment_variable_of_the_settings():
    settings = (ROOT / "netzwerk" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:_bool|_int|_list|_float)?\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    assert {"SITE_HOLIDAYS", "DATABASE_URL", "PLACES_FILE"} <= names
    table = section((ROOT / "README.md").read_text(encoding="utf-8"), "| variable | default | meaning |", "\n\n")
    assert sorted(name for name in names if f"`{name}`" not in table) == []


def test_architecture_page_names_every_dependency():
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    packages = re.findall(r'^\s*"([A-Za-z0-9_.\-]+)(?:\[[a-z]+\])?[=<>~]', project, re.M)
    assert "holidays" in packages
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8") + "\n## "
    listed = section(architecture, "## Dependencies", "\n## ").lower()
    assert sorted(name for name in packages if name.lower() not in listed) == []
