"""``mentorbot teams package``: a zip Teams accepts — manifest 1.19 with the bot, its
commands, the domain and (with Graph) the chat-reading permission, and the two icons
the project ships at the sizes Teams requires."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.cli import main
from bot.teams.manifest import PackageError, icon_bytes, manifest, package

APP_ID = "7c1f2a90-5b1e-4e0f-9a55-3f1d2c3b4a5e"


def _png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, colour type and the raw rows of a non-interlaced 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8
    chunks, at = b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(chunks)
    stride = 1 + width * 4
    return width, height, colour, [raw[i : i + stride] for i in range(0, len(raw), stride)]


def test_the_icons_are_192_colour_and_32_white_outline_on_transparent() -> None:
    width, height, colour, _ = _png(icon_bytes("color.png"))
    assert (width, height, colour) == (192, 192, 6)
    width, height, colour, rows = _png(icon_bytes("outline.png"))
    assert (width, height, colour) == (32, 32, 6)
    pixels = [row[1 + i * 4 : 5 + i * 4] for row in rows for i in range(32)]
    assert all(row[0] == 0 for row in rows)  # no PNG filter: the bytes are the pixels
    drawn = [p for p in pixels if p[3] > 0]
    assert drawn and all(p[:3] == b"\xff\xff\xff" for p in drawn)  # white only
    assert sum(1 for p in pixels if p[3] == 0) > len(pixels) / 2  # mostly transparent


def test_the_manifest_declares_the_bot_its_commands_and_the_domain() -> None:
    data = manifest(
        app_id=APP_ID, public_url="https://mentorbot.example.com", version="0.1.0", graph=False
    )
    assert data["manifestVersion"] == "1.19" and "v1.19" in data["$schema"]
    (bot,) = data["bots"]
    assert bot["botId"] == APP_ID and set(bot["scopes"]) == {"personal", "team", "groupChat"}
    for listed in bot["commandLists"]:
        assert 1 <= len(listed["commands"]) <= 10
        assert all(
            len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in listed["commands"]
        )
    personal = {c["title"] for c in bot["commandLists"][0]["commands"]}
    assert {"signup", "profile", "match", "pause", "resume", "leave", "help"} <= personal
    assert data["validDomains"] == ["mentorbot.example.com"]
    assert "authorization" not in data
    with_graph = manifest(
        app_id=APP_ID, public_url="https://m.example.com", version="0.1", graph=True
    )
    permissions = with_graph["authorization"]["permissions"]["resourceSpecific"]
    assert {"name": "ChatMessage.Read.Chat", "type": "Application"} in permissions


def test_the_package_is_a_zip_with_the_manifest_and_icons_at_its_top() -> None:
    data = manifest(app_id=APP_ID, public_url="https://m.example.com", version="1.2.3", graph=False)
    archive = zipfile.ZipFile(io.BytesIO(package(data)))
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert json.loads(archive.read("manifest.json"))["version"] == "1.2.3"


@pytest.mark.parametrize(
    ("app_id", "url", "problem"),
    [
        ("not-a-guid", "https://m.example.com", "is not an app id"),
        (APP_ID, None, "needs PUBLIC_URL"),
        (APP_ID, "http://m.example.com", "needs PUBLIC_URL"),
    ],
)
def test_a_package_that_teams_would_refuse_is_not_made(app_id, url, problem) -> None:
    with pytest.raises(PackageError, match=problem):
        manifest(app_id=app_id, public_url=url, version="0.1.0", graph=False)


def test_the_command_writes_the_zip_or_says_in_one_line_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "PUBLIC_URL", "MENTORBOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert main(["teams", "package"]) == 1
    assert "set TEAMS_APP_ID" in capsys.readouterr().err
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    assert main(["teams", "package"]) == 2  # half configured: one line, exit 2
    assert "TEAMS_APP_PASSWORD is not" in capsys.readouterr().err
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "secret")
    monkeypatch.setenv("PUBLIC_URL", "https://mentorbot.example.com")
    assert main(["teams", "package", "--output", "app.zip"]) == 0
    assert zipfile.ZipFile(tmp_path / "app.zip").namelist()
