"""Settings: environment over the TOML file over defaults; one clear line when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_embedded_sqlite_and_slack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "SLACK_API_URL", "MENTORBOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:///mentorbot.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.programs == []


def test_the_environment_beats_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _write(tmp_path, 'database_url = "sqlite:///from-file.db"\nadmins = ["U1"]\n')
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/prod")
    settings = load_settings(path)
    assert settings.database_url == "postgresql://db/prod"
    assert settings.admins == ["U1"]


def test_mentorbot_config_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _write(tmp_path, 'admins = ["U9"]\n')
    monkeypatch.setenv("MENTORBOT_CONFIG", str(path))
    assert load_settings().admins == ["U9"]


def test_secrets_never_show_in_the_settings_repr(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = load_settings(_write(tmp_path, ""))
    assert "xoxb-very-secret" not in repr(settings)
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_the_example_config_is_valid() -> None:
    settings = load_settings(Path(__file__).parents[2] / "config.example.toml")
    assert [p.name for p in settings.programs] == ["coffee", "mentoring"]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[[programs]]\nname = "c"\nkind = "tea"\n', "programs[0] ('c').kind"),
        ('[[programs]]\nname = "c"\n[[programs]]\nname = "C"\n', "programs[1].name: duplicate"),
        ('[[programs]]\nname = "c"\nschedule = "whenever"\n', "programs[0] ('c').schedule"),
        ('[[programs]]\nname = "c"\ntimezone = "Mars/Base"\n', "unknown time zone 'Mars/Base'"),
        ('[[programs]]\nname = "c"\ngroup_size = 9\n', "programs[0] ('c').group_size"),
        ('[[programs]]\nname = "c"\ngroup_size = 1\n', "programs[0] ('c').group_size"),
        ('database_url = "mysql://x/y"\n', "database_url: DATABASE_URL must be"),
        ("admins = [\n", "not valid TOML"),
        ("surprise = 1\n", "surprise"),
    ],
)
def test_a_broken_config_names_the_key_at_fault(tmp_path: Path, toml: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_write(tmp_path, toml))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
