"""{% per_request "template.html" %}: a part of the page rendered for each request.

What is one reader's own (the header with their name, the follow button) and what every reply
changes (the count of comments). Rendered in place, as an include would be; in a kept frame
(forum/rendering/frames.py) only its place is marked, and the part is rendered there for each
request."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def per_request(context, template_name):
    places = context.get("per_request_parts")
    if places is not None:
        return mark_safe(places.place(template_name))
    return context.template.engine.get_template(template_name).render(context)
