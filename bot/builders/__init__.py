"""User-facing text, built as neutral ``bot.messages`` values (one place per message)."""
