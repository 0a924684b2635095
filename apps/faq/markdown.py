"""FAQ texts: Markdown (markdown-it-py, CommonMark) rendered to HTML, then sanitized (nh3, the Rust `ammonia`
sanitizer): raw HTML in the Markdown is escaped, and only formatting tags and http(s)/mailto links survive, so no
<script>, no inline event handler and no `javascript:` link reaches the apps."""
import nh3
from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "code", "pre", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render(markdown: str) -> str:
    return nh3.clean(_RENDERER.render(markdown), tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
