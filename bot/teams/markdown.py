"""The neutral message text (``*bold*``, ``_italic_``, escaped ``&amp;``/``&lt;``/``&gt;``,
commands written as ``/mentor VERB``) as Adaptive Card text.

On Teams nobody types ``/mentor``: a command is the words typed to the bot, so
`` `/mentor pause 2` `` reads **pause 2**. Adaptive Cards' markdown has ``**bold**`` and
``_italic_`` but no code spans; other backticked words are shown in bold too.
"""

from __future__ import annotations

import re

from bot.messages import unescape

_COMMAND = re.compile(r"`/mentor\s*([^`]*)`")
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_BARE_COMMAND = re.compile(r"/mentor\s+([a-z]+)")


def card_text(text: str) -> str:
    """One line of neutral text as Adaptive Card markdown."""
    text = _COMMAND.sub(lambda m: f"**{m.group(1).strip() or 'help'}**", text)
    text = _CODE.sub(lambda m: f"**{m.group(1)}**", text)
    text = _BOLD.sub(lambda m: f"**{m.group(1)}**", text)
    text = _BARE_COMMAND.sub(lambda m: f"**{m.group(1)}**", text)
    return unescape(text)


def plain(text: str) -> str:
    """Neutral text with its markup removed (notification lines, button titles)."""
    text = card_text(text)
    return text.replace("**", "")
