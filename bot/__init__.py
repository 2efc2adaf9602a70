"""mentorbot: the application around the pairing engine (config, services, adapters, CLI)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mentorbot")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
