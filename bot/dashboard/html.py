"""A tiny HTML builder that escapes by default (what Jinja's autoescape gives, in a page
of code): every string is escaped unless it is ``Safe`` — markup this module made.

    tag("td", person.name)                 → <td>Ada &lt;3</td>
    tag("a", "Open", href="/dashboard")    → attributes are escaped too
"""

from __future__ import annotations

import html
from collections.abc import Iterable


class Safe(str):
    """Markup that is already escaped; everything else is text."""

    __slots__ = ()


def esc(value: object) -> Safe:
    if isinstance(value, Safe):
        return value
    return Safe(html.escape(str(value), quote=True))


VOID = frozenset({"br", "hr", "meta", "input", "img", "link"})


def tag(name: str, *children: object, **attrs: object) -> Safe:
    """``<name attrs>children</name>``. ``class_`` → ``class``, ``aria_label`` →
    ``aria-label``; an attribute that is None or False is left out, True stands alone."""
    parts = [name]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        attr = key.rstrip("_").replace("_", "-")
        parts.append(attr if value is True else f'{attr}="{esc(value)}"')
    opening = f"<{' '.join(parts)}>"
    if name in VOID:
        return Safe(opening)
    return Safe(f"{opening}{join(children)}</{name}>")


def join(children: Iterable[object], separator: str = "") -> Safe:
    """Concatenate, escaping text; nested iterables are flattened, None dropped."""
    out: list[str] = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, Iterable) and not isinstance(child, str):
            out.append(join(child))
        else:
            out.append(esc(child))
    return Safe(esc(separator).join(out))
