"""Admin forms as a browser posts them back (the admin walk, the admin tests)."""
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser posts back from the page's change form, with their current values."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._select: tuple[str, bool] | None = None
        self._selected: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data.append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._selected, self._first_option = (name, "multiple" in a), [], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._selected.append(value)
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = self._selected if (self._selected or multiple) else [self._first_option or ""]
            self.data += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def posted_form(html: str) -> dict:
    """What a browser posts when the page's admin form is saved as it stands."""
    parser = FormFields()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data
