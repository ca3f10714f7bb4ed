"""The Jinja2 environment of the discussion templates: autoescaped, strict about names."""

from jinja2 import Environment, StrictUndefined


def environment(**options):
    # A misspelt name in a template fails the render instead of printing nothing.
    options["undefined"] = StrictUndefined
    return Environment(**options)
