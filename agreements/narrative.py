"""Narrative text: written with light Markdown, shown as sanitised HTML.

People type paragraphs, lists and links; nothing they type can add raw HTML, scripts or
styles to a page, because the rendered HTML passes through an allow-list sanitiser.
"""

import markdown
import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "br", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_SCHEMES = {"http", "https", "mailto"}

# GOV.UK classes for each element, so narrative looks like the rest of the page.
CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
}


def render_narrative(text: str) -> str:
    # Markdown's own HTML pass-through is neutralised by escaping angle brackets first.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = markdown.markdown(escaped, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"class": css} for tag, css in CLASSES.items()},
    )
