"""A member writes their profile on the settings page: display name, bio and avatar."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Profile
from tests.factories import make_user
from tests.markup import Page

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("accounts:settings")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member(client):
    user = make_user("valentina")
    client.force_login(user)
    return user


def profile_url(username="valentina"):
    return reverse("accounts:profile", kwargs={"username": username})


def save_profile(client, **fields):
    data = {"section": "profile", "display_name": "", "bio": "", **fields}
    return client.post(SETTINGS_URL, data)


def photo(kind="PNG", size=(300, 200), name="me.png", exif=True):
    """A picture made with Pillow, carrying a camera's EXIF (its make and a GPS block)."""
    image = Image.new("RGB", size, "teal")
    metadata = Image.Exif()
    metadata[0x010F] = "Parley Test Camera"  # Make
    metadata[0x8825] = {1: "N", 2: (59.0, 55.0, 0.0)}  # GPS: latitude
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"exif": metadata} if exif else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def with_bytes(data, name="me.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_settings_page_has_a_profile_section_that_accepts_a_file(client, member):
    page = Page(client.get(SETTINGS_URL).content.decode())

    section = page.by_id["profile"]
    form = next(e for e in page.find_all("form") if section in e.ancestors())
    assert form.attrs["enctype"] == "multipart/form-data"
    assert "Display name" in page.text(section) and "About you" in page.text(section)


def test_a_display_name_shows_in_the_profile_header_beside_the_handle(client, member):
    response = save_profile(client, display_name="  Valentina   Tereshkova ")

    assert response.status_code == 302
    assert Profile.objects.get(user=member).display_name == "Valentina Tereshkova"
    content = client.get(profile_url()).content.decode()
    heading = Page(content).text("profile-name")
    assert "Valentina Tereshkova" in heading and "@valentina" in heading
    assert "<title>Valentina Tereshkova (@valentina) · Parley</title>" in content


def test_the_bio_is_markdown_stored_as_sanitised_html_and_shown_on_the_profile(client, member):
    bio = "I fly **Vostok 6**. [Mission](https://example.org) <script>alert(1)</script>"

    save_profile(client, bio=bio)

    profile = Profile.objects.get(user=member)
    assert profile.bio_source == bio
    assert "<strong>Vostok 6</strong>" in profile.bio_html
    assert "<script>" not in profile.bio_html
    assert "&lt;script&gt;" in profile.bio_html  # shown as the text it was
    assert 'rel="nofollow ugc noopener"' in profile.bio_html
    content = client.get(profile_url()).content.decode()
    assert "<strong>Vostok 6</strong>" in content
    assert "<script>alert(1)" not in content


def test_a_javascript_link_in_the_bio_stays_text_and_links_nowhere(client, member):
    save_profile(client, bio="[click](javascript:alert(1)) <a href='javascript:x'>y</a>")

    bio_html = Profile.objects.get(user=member).bio_html
    assert Page(bio_html).find_all("a") == []


def test_an_uploaded_picture_is_stored_square_small_and_without_its_exif(client, member):
    response = client.post(
        SETTINGS_URL,
        {"section": "profile", "display_name": "", "bio": "", "avatar": photo("JPEG")},
    )

    assert response.status_code == 302
    avatar = Profile.objects.get(user=member).avatar
    with Image.open(avatar.path) as stored:
        assert (stored.format, stored.size) == ("WEBP", (128, 128))
        assert not stored.getexif()
        assert not {"exif", "icc_profile", "xmp"} & set(stored.info)
    assert b"Parley Test Camera" not in Path(avatar.path).read_bytes()


def test_a_phone_photo_carrying_a_second_picture_after_the_first_is_accepted(client, member):
    buffer = io.BytesIO()
    depth_map = Image.new("L", (300, 200), "gray")
    Image.new("RGB", (300, 200), "teal").save(
        buffer, "MPO", save_all=True, append_images=[depth_map.convert("RGB")]
    )
    upload = with_bytes(buffer.getvalue(), "phone.jpg", "image/jpeg")

    response = client.post(
        SETTINGS_URL, {"section": "profile", "display_name": "", "bio": "", "avatar": upload}
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=member).avatar.name.endswith(".webp")


def test_the_profile_shows_the_uploaded_avatar_which_the_site_serves(client, member):
    client.post(
        SETTINGS_URL, {"section": "profile", "display_name": "", "bio": "", "avatar": photo()}
    )
    avatar = Profile.objects.get(user=member).avatar

    page = Page(client.get(profile_url()).content.decode())
    image = next(
        e
        for e in page.find_all("img", "avatar")
        if page.by_id["profile-name"].parent in e.ancestors()
    )
    assert image.attrs["src"] == f"/media/{avatar.name}"
    served = client.get(image.attrs["src"])
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert b"".join(served.streaming_content) == Path(avatar.path).read_bytes()


def test_without_a_picture_the_profile_shows_initials_on_a_colour_class(client, member):
    save_profile(client, display_name="Valentina Tereshkova")

    page = Page(client.get(profile_url()).content.decode())
    (initials,) = page.find_all("span", "avatar-large")
    assert page.text(initials) == "VT"
    assert any(name.startswith("avatar-") and name[7:].isdigit() for name in initials.classes)
    assert "style" not in initials.attrs


def test_a_new_picture_replaces_the_old_file_and_removing_it_deletes_the_file(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            SETTINGS_URL, {"section": "profile", "display_name": "", "bio": "", "avatar": photo()}
        )
    first = Profile.objects.get(user=member).avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            SETTINGS_URL,
            {
                "section": "profile",
                "display_name": "",
                "bio": "",
                "avatar": photo("GIF", name="a.gif"),
            },
        )
    second = Profile.objects.get(user=member).avatar.path
    assert second != first
    assert not _exists(first) and _exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        save_profile(client, remove_avatar="on")

    assert not Profile.objects.get(user=member).avatar
    assert not _exists(second)


def _exists(path):
    return Path(path).exists()


def png_bytes(size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def claiming_pixels(data, width, height):
    """The PNG with its header rewritten to claim another size (a decompression bomb's trick)."""
    import struct
    import zlib

    header = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + header + struct.pack(">I", zlib.crc32(header)) + data[33:]


def bmp_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, "BMP")
    return buffer.getvalue()


def gif_js_polyglot():
    buffer = io.BytesIO()
    Image.new("P", (40, 40)).save(buffer, "GIF")
    return buffer.getvalue() + b"*/=1;alert(document.domain);"


def two_picture_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (40, 40), "gray")]
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (with_bytes(b"just some words, not a picture"), "is not a PNG, JPEG, GIF or WebP image"),
        (with_bytes(bmp_bytes(), "me.bmp", "image/bmp"), "is not a PNG, JPEG, GIF or WebP image"),
        (with_bytes(claiming_pixels(png_bytes(), 50_000, 50_000)), "has too many pixels"),
        (
            with_bytes(png_bytes() + b"<html><script>alert(1)</script></html>"),
            "holds something besides the image",
        ),
        (
            with_bytes(gif_js_polyglot(), "me.gif", "image/gif"),
            "holds something besides the image",
        ),
        (
            with_bytes(two_picture_jpeg() + b"//;alert(1)", "me.jpg", "image/jpeg"),
            "holds something besides the image",
        ),
        (with_bytes(png_bytes()[:60]), "damaged"),
    ],
    ids=["not-an-image", "bmp", "bomb", "png-html", "gif-js", "jpeg-js", "truncated"],
)
def test_a_bad_upload_is_refused_with_its_reason_keeping_the_draft(
    client, member, upload, message
):
    response = client.post(
        SETTINGS_URL,
        {"section": "profile", "display_name": "Valya", "bio": "My *draft* bio", "avatar": upload},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "please choose the picture again" in content
    assert 'value="Valya"' in content and "My *draft* bio</textarea>" in content
    assert not Profile.objects.filter(user=member).exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, member, settings):
    settings.PARLEY_AVATAR_MAX_BYTES = 1000

    response = client.post(
        SETTINGS_URL,
        {
            "section": "profile",
            "display_name": "",
            "bio": "",
            "avatar": with_bytes(png_bytes((400, 400)) + b"\0" * 2000),
        },
    )

    assert response.status_code == 400
    assert "an avatar may be at most 1 kB" in response.content.decode()
    assert not Profile.objects.filter(user=member).exists()


def test_a_refused_upload_keeps_the_avatar_already_stored(client, member):
    client.post(
        SETTINGS_URL, {"section": "profile", "display_name": "", "bio": "", "avatar": photo()}
    )
    kept = Profile.objects.get(user=member).avatar.name

    client.post(
        SETTINGS_URL,
        {"section": "profile", "display_name": "", "bio": "", "avatar": with_bytes(b"nope")},
    )

    assert Profile.objects.get(user=member).avatar.name == kept


def test_a_display_name_with_invisible_characters_is_refused(client, member):
    response = save_profile(client, display_name="Val\u202eentina")

    assert response.status_code == 400
    assert "letters, digits, spaces and punctuation only" in response.content.decode()
    assert not Profile.objects.filter(user=member).exists()


def test_a_bio_over_the_limit_is_refused_and_kept_in_the_form(client, member):
    response = save_profile(client, bio="x" * 1001)

    assert response.status_code == 400
    assert "x" * 1001 + "</textarea>" in response.content.decode()
    assert not Profile.objects.filter(user=member).exists()


def test_an_anonymous_visitor_cannot_post_to_the_profile_section(client):
    response = save_profile(client, display_name="Nobody")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Profile.objects.exists()


def test_staff_editing_a_bio_in_the_admin_store_it_sanitised(client, member):
    staff = make_user("root")
    type(staff).objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    profile = Profile.objects.create(user=member, display_name="Valya")
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_profile_change", args=[profile.pk]),
        {"display_name": "Valya", "bio_source": "**Hi** <script>x</script>"},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert "<strong>Hi</strong>" in profile.bio_html and "<script>" not in profile.bio_html


def test_the_admin_action_takes_an_avatar_down(client, member, django_capture_on_commit_callbacks):
    client.post(
        SETTINGS_URL, {"section": "profile", "display_name": "", "bio": "", "avatar": photo()}
    )
    path = Profile.objects.get(user=member).avatar.path
    staff = make_user("root")
    type(staff).objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:accounts_profile_changelist"),
            {"action": "remove_avatars", "_selected_action": [member.pk]},
        )

    assert not Profile.objects.get(user=member).avatar
    assert not _exists(path)


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_an_admin_profile_id_past_the_database_range_names_no_profile(client, view):
    staff = make_user("root")
    type(staff).objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get(reverse(f"admin:accounts_profile_{view}", args=["9" * 23]))

    assert response.status_code == 302  # to the list, saying no such profile exists
