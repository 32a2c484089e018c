from django.db import models
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    """The life of a proposal: drafted and reviewed by the TWOV, sent to the municipalities,
    closed when the coordinator is done with it (or withdrawn before)."""

    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent to the municipalities")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Response(models.TextChoices):
    PENDING = "pending", _("awaiting answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class Outcome(models.TextChoices):
    OPEN = "open", _("open")
    PLACED = "placed", _("placed")
    CONFLICT = "conflict", _("conflict")


class AlternativeReason(models.TextChoices):
    """Why the best alternative location was not chosen (a code; the sentence is built on the
    page in the reader's language)."""

    FULL = "full", _("full with other proposed households")
    FAIRNESS = "fairness", _("would push its municipality further above its fair share")
    FIT = "fit", _("it fits less well")
    EQUAL = "equal", _("equally suitable")


class Action(models.TextChoices):
    """What happened to a run or one of its lines: the run's history, with who and when."""

    RUN = "run", _("proposal computed")
    OVERRIDE = "override", _("moved by hand")
    SEND = "send", _("sent to the municipalities")
    ACCEPT = "accept", _("accepted")
    DECLINE = "decline", _("declined")
    PLACE = "place", _("placed")
    CONFLICT = "conflict", _("conflict at approval")
    CLOSE = "close", _("closed")
    WITHDRAW = "withdraw", _("withdrawn")
