"""The command line: prt-pack, notify-deadlines, demo-governance."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from opvangregie.accounts.services import demo_users_create
from opvangregie.governance import services
from opvangregie.governance.models import Agreement, Escalation, Meeting

from .conftest import D, Gov


def test_prt_pack_writes_a_pdf(gov: Gov, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    call_command(
        "prt_pack",
        "--housing-region",
        "holland-rijnland",
        "--date",
        "2024-03-14",
        "--output",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("prt_pack", "--housing-region", "GM0546", "--output", str(out))


def test_notify_deadlines_is_safe_to_repeat(gov: Gov) -> None:
    services.escalation_raise(
        user=gov.coordinator,
        title="x",
        question="?",
        deadline=D(2024, 3, 20),
        raised_on=D(2024, 3, 1),
    )
    call_command("notify_deadlines", "--date", "2024-03-21")
    call_command("notify_deadlines", "--date", "2024-03-21")
    assert len(mail.outbox) == 2


def test_demo_governance(gov: Gov, demo_mode: None) -> None:
    demo_users_create(password="demo-wachtwoord-123")
    call_command("demo_governance", "--if-missing")
    call_command("demo_governance", "--if-missing")
    assert (Meeting.objects.count(), Agreement.objects.count(), Escalation.objects.count()) == (
        3,
        2,
        2,
    )
