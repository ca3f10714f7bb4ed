"""{% reader_part "template.html" %}: a part of the page that is one reader's own.

Rendered in place, as an include would be; in a kept frame (forum/rendering/frames.py) only its
place is marked, and the part is rendered there for each request's reader."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_part(context, template_name):
    places = context.get("reader_parts")
    if places is not None:
        return mark_safe(places.place(template_name))
    return context.template.engine.get_template(template_name).render(context)
