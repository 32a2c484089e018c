"""Options shared by the registry's query commands."""

import datetime

from django.core.management.base import CommandError, CommandParser

from opvangregie.core.dates import InvalidDateError, parse_on


def add_on_argument(parser: CommandParser) -> None:
    parser.add_argument("--on", default="", help="Date YYYY-MM-DD (default: today).")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def on_from(options: dict[str, object]) -> datetime.date:
    try:
        return parse_on(str(options.get("on") or ""))
    except InvalidDateError as exc:
        raise CommandError(str(exc)) from exc
