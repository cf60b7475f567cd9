"""The console script reads hyphenated subcommands as Django's underscored command names."""

from __future__ import annotations

from openkam.cli import command_argv


def test_a_hyphenated_subcommand_names_the_underscored_command() -> None:
    assert command_argv(["openkam", "plan-pdf", "3", "--out", "a-b.pdf"]) == [
        "openkam",
        "plan_pdf",
        "3",
        "--out",
        "a-b.pdf",
    ]


def test_options_and_plain_commands_pass_unchanged() -> None:
    assert command_argv(["openkam", "refresh", "--as-of", "2026-01-01"])[1] == "refresh"
    assert command_argv(["openkam", "--version"]) == ["openkam", "--version"]
    assert command_argv(["openkam"]) == ["openkam"]
