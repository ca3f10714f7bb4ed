"""The apps' settings live in their conf.py files, and the README documents each one."""

import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from config.app_settings import AppSettings
from forum import conf

BASE_DIR = Path(__file__).resolve().parent.parent
README_ROW = re.compile(r"^\| `(PARLEY_[A-Z0-9_]+)` \| `([^`]*)` \|", re.MULTILINE)
GETATTR_SETTING = re.compile(r"getattr\(\s*settings\s*,\s*[\"']PARLEY_")


def app_settings():
    """Every setting of every project app that keeps a conf.py, under its full name."""
    found = {}
    for app in apps.get_app_configs():
        if Path(app.path) != BASE_DIR / app.name:  # the project's own apps, not installed ones
            continue
        try:
            module = importlib.import_module(f"{app.name}.conf")
        except ModuleNotFoundError:
            continue
        found.update(module.settings.documented())
    return found


def readme_rows():
    return dict(README_ROW.findall((BASE_DIR / "README.md").read_text()))


def test_the_readme_gives_each_app_setting_with_its_default():
    documented = readme_rows()
    for name, setting in app_settings().items():
        assert documented.get(name) == json.dumps(setting.default), name


def test_every_setting_the_readme_names_exists():
    environment = {name for name in dir(settings) if name.startswith("PARLEY_")}
    assert set(readme_rows()) <= set(app_settings()) | environment


def test_a_setting_is_read_when_used(settings):
    settings.PARLEY_MAX_DEPTH = 3
    assert conf.settings.MAX_DEPTH == 3


def test_an_unset_setting_reads_its_default(settings):
    del settings.PARLEY_MAX_DEPTH
    assert conf.settings.MAX_DEPTH == 8  # the default README.md documents


def test_a_name_no_app_defines_is_an_error():
    with pytest.raises(AttributeError, match="PARLEY_NO_SUCH_THING"):
        AppSettings("PARLEY_", {}).NO_SUCH_THING  # noqa: B018


def test_no_module_outside_the_conf_files_reads_a_parley_setting_by_getattr():
    offenders = [
        str(path.relative_to(BASE_DIR))
        for folder in ("accounts", "articles", "config", "forum", "bench")
        for path in (BASE_DIR / folder).rglob("*.py")
        if path.name != "conf.py" and GETATTR_SETTING.search(path.read_text())
    ]
    assert offenders == []
