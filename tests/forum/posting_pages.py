"""Reading and sending the posting forms the way a browser does."""

from tests.markup import Page


def open_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return Page(response.content.decode())


def open_page_from(response):
    return Page(response.content.decode())


def form_at(page, action):
    """The one form on the page that is sent to action."""
    (form,) = (form for form in page.find_all("form") if form.attrs.get("action") == action)
    return form


def inside(page, element, tag):
    return [found for found in page.find_all(tag) if element in found.ancestors()]


def fields_of(page, form):
    """What the browser would send from the form's fields as the page left them."""
    inputs = {
        field.attrs["name"]: field.attrs.get("value", "")
        for field in inside(page, form, "input")
        if "name" in field.attrs
    }
    areas = {
        area.attrs["name"]: textarea_text(page, form, area.attrs["name"])
        for area in inside(page, form, "textarea")
    }
    return {**inputs, **areas}


def textarea_text(page, form, name="body"):
    (textarea,) = (area for area in inside(page, form, "textarea") if area.attrs["name"] == name)
    # HTML drops the one newline right after <textarea>, which Django writes before the value.
    return page.text(textarea).removeprefix("\n")


def send(client, page, action, **typed):
    """Fill in and send the form for action found on page, as a browser would."""
    form = form_at(page, action)
    return client.post(action, {**fields_of(page, form), **typed})


def errors_of(page, form):
    return [
        page.text(item) for item in inside(page, form, "li") if "errorlist" in item.parent.classes
    ]
