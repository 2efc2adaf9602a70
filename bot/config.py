"""Settings: environment over a TOML file over defaults (pydantic-settings).

The TOML file is ``--config PATH``, else ``$MENTORBOT_CONFIG``, else ``./config.toml`` if
present. Environment variables use the names in DESIGN.md (``DATABASE_URL``,
``SLACK_BOT_TOKEN`` …). Secrets are ``SecretStr`` so they never reach a log line.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    GetCoreSchemaHandler,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.exc import ArgumentError

from bot.kinds.config import read_config
from storage.db import UnsupportedDatabase, async_url, redacted_or_raw
from storage.timeouts import DatabaseLimits

DEFAULT_DATABASE_URL = "sqlite:///mentorbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_TEAMS_OPENID_METADATA_URL = (
    "https://login.botframework.com/v1/.well-known/openidconfiguration"
)
DEFAULT_TEAMS_GRAPH_URL = "https://graph.microsoft.com/v1.0/"
TEAMS_URL_DEFAULTS = {
    "teams_openid_metadata_url": DEFAULT_TEAMS_OPENID_METADATA_URL,
    "teams_graph_url": DEFAULT_TEAMS_GRAPH_URL,
}
PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "xoxb-your-token", "your-signing-secret"})


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming the key at fault."""


class ProgramConfig:
    """A program declared in the TOML file (leads can also create programs in Slack).

    Its keys are the program fields' declarations (``bot.kinds``): the common ones and
    every registered kind's settings, checked when the settings are read. ``values``
    holds them by field name (``channel`` is ``channel_id``).
    """

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values: Mapping[str, Any] = MappingProxyType(dict(values))

    @property
    def name(self) -> str:
        return str(self.values["name"])

    @property
    def kind(self) -> str:
        return str(self.values["kind"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProgramConfig) and dict(self.values) == dict(other.values)

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"ProgramConfig({dict(self.values)!r})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(cls._validate)

    @classmethod
    def _validate(cls, table: object) -> ProgramConfig:
        if isinstance(table, ProgramConfig):
            return table
        return cls(read_config(table))  # a ValidationError keeps the key's location


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="forbid", case_sensitive=False, env_prefix="")

    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    # mentorbot's own key: signs dashboard links and sessions. Without it, and with Slack
    # configured, a key is derived from the Slack signing secret (as before it existed).
    secret_key: SecretStr | None = None
    # The in-memory chat platform (bot/memory): on when this shared secret is set.
    memory_chat_secret: SecretStr | None = None
    admins: list[str] = Field(default_factory=list)
    programs: list[ProgramConfig] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    embedded_clock: bool = True
    public_url: str | None = None
    # How long a claimed outbox message is reserved for its sender; a message claimed by
    # a process that died is retried after this (checking first that it did not go out).
    # Keep it above ``platform_timeout_seconds``.
    delivery_lease_seconds: Annotated[int, Field(ge=1, le=3600)] = 60
    # How long a call to Slack or Teams may take before it is given up. A post whose
    # answer never came may still land until 5 s after that, so the outbox looks for it
    # again only then instead of posting it a second time.
    platform_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 30.0
    # How long anything waits on the database, in seconds (storage/timeouts.py), and how
    # many PostgreSQL connections one process may hold.
    database_connect_timeout: Annotated[float, Field(gt=0, le=60)] = 3.0
    database_pool_timeout: Annotated[float, Field(gt=0, le=300)] = 30.0
    database_statement_timeout: Annotated[float, Field(gt=0, le=3600)] = 10.0
    database_max_connections: Annotated[int, Field(ge=1, le=1000)] = 15
    sqlite_busy_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0

    # -- Microsoft Teams (bot/teams): on when TEAMS_APP_ID and TEAMS_APP_PASSWORD are set.
    # The Azure bot's app (client) id and its client secret; the tenant for a
    # single-tenant app (absent: any tenant that installs the app is served).
    teams_app_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    teams_app_password: SecretStr | None = None
    teams_tenant_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    # Every Microsoft endpoint is a setting, so the app can be pointed at fakes: Bot
    # Framework's OpenID document (the signing keys' address comes from it), Microsoft
    # Graph, and (instead of msal) an OAuth2 client-credentials token endpoint.
    teams_openid_metadata_url: str = DEFAULT_TEAMS_OPENID_METADATA_URL
    teams_graph_url: str = DEFAULT_TEAMS_GRAPH_URL
    teams_token_url: str | None = None
    # True once an admin consented to the Graph permissions (README, "Connect it to
    # Teams"): real group chats, job titles, time zones and directory paging.
    teams_graph_permissions: bool = False

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file's values arrive as init arguments; the environment beats them.
        return env_settings, init_settings

    @field_validator("database_url")
    @classmethod
    def _database_is_supported(cls, value: str) -> str:
        try:
            async_url(value)
        except UnsupportedDatabase as exc:
            raise ValueError(str(exc)) from None
        except ArgumentError:
            raise ValueError(f"cannot read database URL {redacted_or_raw(value)!r}") from None
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url")
    @classmethod
    def _public_url_is_an_origin(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"{value!r} is not an http(s) address like https://mentorbot.example.com"
            )
        if parts.path.strip("/") or parts.query or parts.fragment:
            raise ValueError(
                f"{value!r}: give only the address mentorbot is served at, without a path "
                "(the dashboard lives at /dashboard on it, Slack's requests at /slack/events)"
            )
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("teams_openid_metadata_url", "teams_graph_url", "teams_token_url")
    @classmethod
    def _teams_urls_are_http(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return TEAMS_URL_DEFAULTS.get(info.field_name or "")
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) address")
        return value.strip()

    @field_validator("teams_graph_url")
    @classmethod
    def _graph_url_ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("teams_app_id", "teams_tenant_id")
    @classmethod
    def _teams_ids_are_one_word(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or len(value.split()) != 1):
            raise ValueError(f"{value!r} is not an id (one word, no spaces)")
        return value.strip() if value is not None else None

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_client_secret",
        "secret_key",
        "memory_chat_secret",
        "teams_app_password",
    )
    @classmethod
    def _no_placeholder_secrets(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError("still holds the placeholder from config.example.toml")
        return value

    @model_validator(mode="after")
    def _program_names_are_unique(self) -> Settings:
        seen: set[str] = set()
        for index, program in enumerate(self.programs):
            key = program.name.casefold()
            if key in seen:
                raise ValueError(f"programs[{index}].name: duplicate program name {program.name!r}")
            seen.add(key)
        return self

    @model_validator(mode="after")
    def _teams_is_whole(self) -> Settings:
        """Half a Teams configuration is a mistake, not "Teams off"."""
        has_id, has_password = self.teams_app_id is not None, self.teams_app_password is not None
        if has_id and not has_password:
            raise ValueError(
                "teams_app_password: TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is not; "
                "set both to serve Teams, or neither"
            )
        if has_password and not has_id:
            raise ValueError(
                "teams_app_id: TEAMS_APP_PASSWORD is set but TEAMS_APP_ID is not; "
                "set both to serve Teams, or neither"
            )
        if not has_id:
            for name in ("teams_tenant_id", "teams_token_url"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"{name}: {name.upper()} is set but TEAMS_APP_ID and "
                        "TEAMS_APP_PASSWORD are not; set them to serve Teams"
                    )
            if self.teams_graph_permissions:
                raise ValueError(
                    "teams_graph_permissions: Graph permissions are switched on but "
                    "TEAMS_APP_ID and TEAMS_APP_PASSWORD are not set"
                )
        return self

    @property
    def slack_configured(self) -> bool:
        return self.slack_signing_secret is not None and (
            self.slack_bot_token is not None or self.oauth_configured
        )

    @property
    def oauth_configured(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def teams_configured(self) -> bool:
        return self.teams_app_id is not None and self.teams_app_password is not None

    @property
    def signing_key(self) -> str | None:
        """What dashboard links are signed with: SECRET_KEY, else (for installs that
        predate it) the Slack signing secret, else the Teams app password — the signer
        derives its key from it, never using the secret itself."""
        for secret in (self.secret_key, self.slack_signing_secret, self.teams_app_password):
            if secret is not None and secret.get_secret_value():
                return secret.get_secret_value()
        return None

    @property
    def database_limits(self) -> DatabaseLimits:
        return DatabaseLimits(
            connect_seconds=self.database_connect_timeout,
            pool_seconds=self.database_pool_timeout,
            statement_seconds=self.database_statement_timeout,
            sqlite_busy_seconds=self.sqlite_busy_timeout,
            max_connections=self.database_max_connections,
        )


def config_path(explicit: str | os.PathLike[str] | None) -> Path | None:
    """Which TOML file applies: the explicit one, $MENTORBOT_CONFIG, or ./config.toml."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("MENTORBOT_CONFIG")
    if from_env:
        return Path(from_env)
    default = Path("config.toml")
    return default if default.is_file() else None


def load_settings(
    explicit_path: str | os.PathLike[str] | None = None, **overrides: Any
) -> Settings:
    """Build Settings or raise ConfigError with one line that names the key at fault."""
    path = config_path(explicit_path)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such config file") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    data.update(overrides)
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc, data, path)) from None


def _one_line(exc: ValidationError, data: dict[str, Any], path: Path | None) -> str:
    error = exc.errors(include_url=False)[0]
    where = _key_name(error["loc"], data)
    message = str(error["msg"]).removeprefix("Value error, ")
    if message.startswith(("programs[", "teams_")):  # a model validator names the key
        where, _, message = message.partition(": ")
    source = f"{path}: " if path is not None else ""
    more = len(exc.errors()) - 1
    extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source}{where}: {message}{extra}"


def _key_name(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            name = node[item].get("name") if isinstance(node, list) and item < len(node) else None
            node = node[item] if isinstance(node, list) and item < len(node) else None
            parts[-1] += f"[{item}]" + (f" ({name!r})" if isinstance(name, str) else "")
        else:
            node = node.get(item) if isinstance(node, dict) else None
            parts.append(str(item))
    return ".".join(parts) or "config"
