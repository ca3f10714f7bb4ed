"""Imported HTML to Markdown source, so an imported post can be edited like one written here.

It reads HTML already sanitised to our policy (forum.markdown.ALLOWED_TAGS), so it only needs
to know paragraphs, line breaks, links, quotes, emphasis, code and lists. The stored
body_html stays the imported one; this is the source a later edit starts from.

Only " ", tabs and line ends count as white space: U+00A0 in a comment is kept on purpose.
"""

import re
from html import escape
from html.parser import HTMLParser

from ..markdown import ALLOWED_SCHEMES

HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
REPEATED_SPACES = re.compile(r" {2,}")
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]])")
# Text that would open a quote, a list or a rule when it starts a line.
BULLET_OPENER = re.compile(r"^([ ]*)([>+-])(?=[ ]|$)")
NUMBER_OPENER = re.compile(r"^([ ]*\d{1,9})([.)])(?=[ ]|$)")
BLOCK_TAGS = {"p", "div", "blockquote", "ul", "ol", "li", "pre", "hr"}
EMPHASIS = {"em": "*", "i": "*", "strong": "**", "b": "**"}
SKIPPED = {"script", "style"}
HARD_BREAK = "\ue000"  # a private-use mark for <br>, so stripping spaces cannot lose it


def images_as_links(html):
    """Each <img> as a link to its http(s) source labelled with its alt text (or "image"): our
    sanitiser and CSP show no remote image, and a comment must not lose one without a trace."""
    finder = _ImageFinder()
    finder.feed(html)
    finder.close()
    pieces, end = [], 0
    for start, stop, attributes in finder.images:
        pieces += [html[end:start], _image_link(attributes)]
        end = stop
    pieces.append(html[end:])
    return "".join(pieces)


def _image_link(attributes):
    source = (attributes.get("src") or "").strip()
    label = escape(" ".join((attributes.get("alt") or "").split()) or "image")
    if source.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(source)}">{label}</a>'
    return f"[{label}]"  # an inline (data:) or relative image: nothing to link to


class _ImageFinder(HTMLParser):
    """Where each <img> tag is in a fragment of HTML, and its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []  # (start, end, attributes) by offset in the fragment
        self.line_starts = [0]

    def feed(self, data):
        self.line_starts += [m.end() for m in re.finditer(r"\n", data)]
        super().feed(data)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            line, column = self.getpos()
            start = self.line_starts[line - 1] + column
            self.images.append((start, start + len(self.get_starttag_text()), dict(attrs)))

    handle_startendtag = handle_starttag


def html_to_markdown(html):
    """The Markdown source for a fragment of sanitised HTML."""
    writer = _MarkdownWriter()
    writer.feed(html)
    writer.close()
    return writer.markdown()


class _MarkdownWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # finished blocks: (quote depth, in a list, lines already prefixed)
        self.inline = []  # pieces of the block being read
        self.open_inline = []  # (tag, href, index in self.inline) of open links and emphasis
        self.quote_depth = 0
        self.lists = []  # for each open list: the next number, or None for bullets
        self.item_marker = None  # marker for the first line of the current list item
        self.in_pre = 0
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self._flush()
            self._open_block(tag)
        elif tag == "br":
            self.inline.append(HARD_BREAK + "\n" if not self.in_pre else "\n")
        elif tag == "a":
            self.open_inline.append(("a", dict(attrs).get("href") or "", len(self.inline)))
        elif tag in EMPHASIS or (tag == "code" and not self.in_pre):
            self.open_inline.append((tag, None, len(self.inline)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in {"br", "hr"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self._flush()
            self._close_block(tag)
        elif self.open_inline and self.open_inline[-1][0] == tag:
            _tag, href, start = self.open_inline.pop()
            inner = "".join(self.inline[start:])
            self.inline[start:] = [_wrap_inline(tag, href, inner)]

    def handle_data(self, data):
        if self.skipping:
            return
        if self.in_pre:
            self.inline.append(data)
        elif self.open_inline and self.open_inline[-1][0] == "code":
            self.inline.append(HTML_SPACE.sub(" ", data))
        else:
            self.inline.append(MARKDOWN_PUNCTUATION.sub(r"\\\1", HTML_SPACE.sub(" ", data)))

    def _open_block(self, tag):
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag in {"ul", "ol"}:
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li" and self.lists:
            number = self.lists[-1]
            self.item_marker = "- " if number is None else f"{number}. "
            if number is not None:
                self.lists[-1] = number + 1
        elif tag == "pre":
            self.in_pre += 1
        elif tag == "hr":
            self._add_block(["* * *"])

    def _close_block(self, tag):
        if tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.in_pre = max(0, self.in_pre - 1)

    def _flush(self):
        """End the block being read, if it has any text."""
        self.open_inline.clear()
        text, self.inline = "".join(self.inline), []
        if self.in_pre:
            if text.strip("\n"):
                self._add_block(["```", *text.strip("\n").split("\n"), "```"])
            return
        lines = [REPEATED_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
        lines = [_literal_line_start(line) for line in lines if line]
        if lines:
            # A line break ends a line with two spaces, except at the end of the block.
            lines[-1] = lines[-1].replace(HARD_BREAK, "")
            self._add_block([line.replace(HARD_BREAK, "  ") for line in lines])

    def _add_block(self, lines):
        indent = "   " * max(0, len(self.lists) - 1)
        if self.item_marker:
            first = indent + self.item_marker
            rest = indent + " " * len(self.item_marker)
            lines = [first + lines[0], *(rest + line for line in lines[1:])]
            self.item_marker = None
        elif self.lists:
            lines = [indent + "   " + line for line in lines]
        quote = "> " * self.quote_depth
        self.blocks.append((self.quote_depth, bool(self.lists), [quote + line for line in lines]))

    def markdown(self):
        self._flush()
        parts, previous = [], None
        for depth, in_list, lines in self.blocks:
            if previous is not None:
                parts.append(_separator(previous, (depth, in_list)))
            parts.append("\n".join(lines))
            previous = (depth, in_list)
        return "".join(parts)


def _separator(previous, current):
    """Items of one list follow each other; other blocks need a blank line, quoted if inside."""
    (depth, in_list), (next_depth, next_in_list) = previous, current
    if in_list and next_in_list and depth == next_depth:
        return "\n"
    return "\n" + ("> " * min(depth, next_depth)).rstrip(" ") + "\n"


def _literal_line_start(line):
    """Escape what would open a quote or a list at the start of a line."""
    return NUMBER_OPENER.sub(r"\1\\\2", BULLET_OPENER.sub(r"\1\\\2", line))


def _wrap_inline(tag, href, inner):
    if tag == "a":
        if not inner.strip(" ") or not href.lower().startswith(ALLOWED_SCHEMES):
            return inner
        destination = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"[{inner}]({destination})"
    if tag == "code":
        fence = "``" if "`" in inner else "`"
        return f"{fence}{inner}{fence}" if inner else ""
    # Emphasis must hug its text: "* word*" is not emphasis in Markdown.
    core = inner.strip(" ")
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    marker = EMPHASIS[tag]
    return f"{lead}{marker}{core}{marker}{trail}"
