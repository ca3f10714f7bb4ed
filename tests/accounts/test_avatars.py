import pytest

from accounts import avatars


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Robert G. Oler", "RG"), ("duheagle", "DU"), ("x", "X"), ("  ", "?"), ("élan vital", "ÉV")],
)
def test_initials_come_from_the_first_two_words_or_the_first_two_letters(name, initials):
    assert avatars.initials(name) == initials


def test_a_name_always_wears_the_same_colour_and_names_spread_over_all_of_them():
    names = [f"reader{n}" for n in range(200)]
    assert avatars.colour_class("Kirk") == avatars.colour_class("Kirk")
    assert {avatars.colour_class(name) for name in names} == {
        f"avatar-{n}" for n in range(avatars.COLOURS)
    }
