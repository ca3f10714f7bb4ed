"""Kept pages are keyed by the code's version, which a deploy of new static files changes too."""

from forum.rendering.cache import _code_version


def test_new_static_files_make_a_new_code_version(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    without_manifest = _code_version()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/parley.css": "css/parley.1.css"}}')
    first = _code_version()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/parley.css": "css/parley.2.css"}}')

    assert len({without_manifest, first, _code_version()}) == 3
