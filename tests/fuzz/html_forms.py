"""The forms of a page, read from its HTML as a browser reads them: fields, values and buttons."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SUBMIT_INPUTS = {"submit", "image"}


@dataclass
class Field:
    """One named control: its kind, the values a browser would send, and the offered choices."""

    name: str
    kind: str  # an input type, "textarea" or "select"
    values: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    seen: bool = True  # False for hidden inputs and honeypots, which people leave as they are


@dataclass
class Form:
    action: str  # a path, with its query string, on this site
    method: str
    multipart: bool
    id: str = ""
    fields: dict[str, Field] = field(default_factory=dict)
    # The submit buttons in page order, as the (name, value) each sends: the first is the one
    # pressing Enter uses; an unnamed button sends nothing of its own, as ().
    buttons: list[tuple] = field(default_factory=list)

    def add(self, name, kind, value=None, *, choice=None, seen=True):
        control = self.fields.setdefault(name, Field(name, kind, seen=seen))
        if value is not None:
            control.values.append(value)
        if choice is not None:
            control.choices.append(choice)

    def __str__(self):
        return f"{self.method} {self.action} ({', '.join(self.fields)})"


def page_forms(html, page_url):
    """The forms of a page whose action stays on this site."""
    parser = FormParser(page_url)
    parser.feed(html)
    parser.close()
    return [form for form in parser.forms if not urlsplit(form.action).netloc]


class FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms, self.by_id, self.orphans = [], {}, []
        self.form = self.select = self.textarea = None
        self.option = None  # [value attribute or None, text so far, selected]

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.form = self._open_form(attrs)
        elif tag in ("input", "button", "select", "textarea") and "disabled" not in attrs:
            self._control(tag, attrs)
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "", "selected" in attrs]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        elif self.textarea is not None:
            self.textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._close_option()
            self._select_default()
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            form, name, text = self.textarea
            form.add(name, "textarea", text.removeprefix("\n"))
            self.textarea = None

    def close(self):
        super().close()
        for form_id, args in self.orphans:
            if form_id in self.by_id:
                self.by_id[form_id].add(*args[0], **args[1])

    def _open_form(self, attrs):
        form = Form(
            action=urljoin(self.page_url, attrs.get("action") or self.page_url),
            method=(attrs.get("method") or "get").upper(),
            multipart=attrs.get("enctype") == "multipart/form-data",
            id=attrs.get("id", ""),
        )
        self.forms.append(form)
        if form.id:
            self.by_id[form.id] = form
        return form

    def _control(self, tag, attrs):
        name = attrs.get("name")
        owner = self.form
        if "form" in attrs:
            owner = None  # a control may belong to a form elsewhere on the page
        kind = attrs.get("type", "").lower() if tag == "input" else tag
        if tag == "button":
            kind = attrs.get("type", "submit").lower()
        if kind in SUBMIT_INPUTS or (tag == "button" and kind == "submit"):
            target = owner or self.by_id.get(attrs.get("form"))
            if target is not None:
                target.buttons.append((name, attrs.get("value", "")) if name else ())
            return
        if not name:
            return
        if tag == "select":
            self.select = (owner, attrs.get("form"), name, "multiple" in attrs)
            return
        if tag == "textarea":
            if owner is not None:
                self.textarea = [owner, name, ""]
            return
        if kind in ("checkbox", "radio"):
            value = attrs.get("value", "on")
            args = (name, kind, value if "checked" in attrs else None), {"choice": value}
        elif kind not in ("button", "reset", "file"):
            seen = kind != "hidden" and "honeypot" not in attrs.get("class", "").split()
            args = (name, kind, attrs.get("value", "")), {"seen": seen}
        else:
            return
        self._attach(owner, attrs.get("form"), args)

    def _close_option(self):
        value, text, selected = self.option
        self.option = None
        owner, form_id, name, _multiple = self.select
        choice = value if value is not None else text.strip()
        args = (name, "select", choice if selected else None), {"choice": choice}
        self._attach(owner, form_id, args)

    def _select_default(self):
        """A single select with nothing selected sends its first option, as browsers do."""
        owner, form_id, name, multiple = self.select
        form = owner or self.by_id.get(form_id)
        control = form.fields.get(name) if form is not None else None
        if control is not None and not multiple and not control.values and control.choices:
            control.values.append(control.choices[0])

    def _attach(self, owner, form_id, args):
        if owner is not None:
            owner.add(*args[0], **args[1])
        elif form_id:
            self.orphans.append((form_id, args))
