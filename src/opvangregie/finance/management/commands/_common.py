"""What the finance commands share: acting as a user, writing the output."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opvangregie.accounts.models import User
from opvangregie.core.exports import rows_to_csv, rows_to_xlsx


def acting_user(name: object) -> User | None:
    """``--user NAME``: the command applies that user's permissions (none given: the operator,
    who has the database anyway, sees everything)."""
    if not name:
        return None
    user = User.objects.filter(username=str(name), is_active=True).first()
    if user is None:
        raise CommandError(_("Unknown user %(name)s.") % {"name": name})
    return user


def write(
    command: BaseCommand,
    *,
    fmt: str,
    output: object,
    headers: list[str],
    rows: list[Any],
    title: str,
    text: str | None = None,
) -> None:
    """JSON (``text``), CSV or XLSX to ``--output`` or standard output (XLSX needs a file)."""
    if fmt == "xlsx":
        if not output:
            raise CommandError(_("XLSX needs --output FILE."))
        Path(str(output)).write_bytes(rows_to_xlsx(headers, rows, title))
        return
    body = text if fmt == "json" and text is not None else rows_to_csv(headers, rows).decode()
    if output:
        Path(str(output)).write_text(body.removeprefix("\ufeff"), encoding="utf-8")
    else:
        command.stdout.write(body.removeprefix("\ufeff"))
