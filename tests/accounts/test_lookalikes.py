import pytest

from accounts.lookalikes import mixes_scripts, skeleton, username_skeleton

CYRILLIC_A = "\N{CYRILLIC SMALL LETTER A}"
CYRILLIC_IE = "\N{CYRILLIC SMALL LETTER IE}"
# Unicode TR 39's own example: "paypal" in mathematical letters and a y with a loop.
FANCY_PAYPAL = (
    "\N{MATHEMATICAL FRAKTUR SMALL P}\N{MATHEMATICAL SCRIPT SMALL A}"
    "\N{LATIN SMALL LETTER Y WITH LOOP}\N{MATHEMATICAL DOUBLE-STRUCK SMALL P}"
    "\N{MATHEMATICAL DOUBLE-STRUCK SMALL A}\N{SCRIPT SMALL L}"
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (FANCY_PAYPAL, "paypal"),
        (f"us{CYRILLIC_IE}ra", "usera"),
        (f"{CYRILLIC_A}dmin", "admin"),
        ("m", "rn"),
        ("\N{LISU LETTER I}", "l"),
    ],
)
def test_look_alike_strings_share_a_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("PayPaI", "paypal"),  # a capital I looks like a small l
        ("\N{CYRILLIC CAPITAL LETTER A}dmin", "admin"),
        ("MARY", "rnary"),
        ("b0b", "bob"),
    ],
)
def test_usernames_that_look_alike_in_any_letter_case_share_a_username_skeleton(one, other):
    # Names differing in letter case alone are Django's to refuse: UserCreationForm does.
    assert username_skeleton(one) == username_skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("alice", "alicia"), ("bob", "rob"), ("ivan", "иван")])
def test_usernames_that_look_different_have_different_username_skeletons(one, other):
    assert username_skeleton(one) != username_skeleton(other)


@pytest.mark.parametrize(
    "username",
    [
        f"p{CYRILLIC_A}ypal",
        f"us{CYRILLIC_IE}ra",
        "T\N{GREEK SMALL LETTER OMICRON}m",
        "mixed_w\N{CYRILLIC SMALL LETTER O}rd",
    ],
)
def test_a_word_mixing_scripts_is_mixed(username):
    assert mixes_scripts(username)


@pytest.mark.parametrize(
    "username",
    ["paypal", "Алиса", "ivan_иван", "東京タワー", "서울시", "anna2024", "café.au-lait"],
)
def test_single_script_words_and_scripts_that_mix_by_nature_are_not_mixed(username):
    assert mixes_scripts(username) is False
