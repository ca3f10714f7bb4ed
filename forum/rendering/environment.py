"""The Jinja2 environment of the discussion templates: autoescaped, strict about names."""

from jinja2 import Environment, StrictUndefined

from accounts import avatars


def environment(**options):
    # A misspelt name in a template fails the render instead of printing nothing.
    options["undefined"] = StrictUndefined
    environment = Environment(**options)
    environment.filters["initials"] = avatars.initials
    environment.filters["avatar_colour"] = avatars.colour_class
    return environment
