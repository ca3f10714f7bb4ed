from django import template

register = template.Library()

# Pages about the account itself: coming back to one of them after logging in makes no sense.
ACCOUNT_PAGES = {
    "login",
    "logout",
    "accounts:signup",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


@register.simple_tag(takes_context=True)
def return_path(context):
    """Where logging in, signing up or logging out from this page should lead back to."""
    request = context["request"]
    match = request.resolver_match
    if match and match.view_name in ACCOUNT_PAGES:
        # The login and signup views put the already vetted ?next= in their context.
        return context.get("next", "")
    return request.get_full_path()
