"""The governance records in the admin, for the administrator to look up and correct texts.

The lifecycles (meeting state, agreement status, dilemma status, pack state) and who acted are
the services' and stay read-only here: every change of them goes through the pages, the API or
the command line, which check who may do it and write the note or event beside it. Records the
services only ever add to (progress notes, dilemma events, decision records, notices sent) and
frozen PRT packs (checksummed) cannot be changed here at all. Nothing is added through the
admin: a meeting needs its attendance rows, an agreement its parties' checks, a dilemma its
event."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opvangregie.core.admin import NoAddAdmin, ReadOnlyAdmin, ReadOnlyInline

from .constants import MeetingState, PackState
from .models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    AgreementNote,
    AgreementParty,
    DecisionRecord,
    Escalation,
    EscalationEvent,
    Meeting,
    MeetingAttendance,
    NoticeSent,
    NotificationPreference,
    PrtPack,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "owner"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttendanceInline(ReadOnlyInline):
    model = MeetingAttendance
    fields = ["seat", "status", "substitute"]
    readonly_fields = ["seat", "status", "substitute"]


@admin.register(Meeting)
class MeetingAdmin(NoAddAdmin):
    list_display = ["body", "starts_at", "place", "state", "published_at"]
    list_filter = ["state", "body"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uuid", "body", "state", "published_at", "created_by"]
    fields = [*readonly_fields, "starts_at", "ends_at", "place", "minutes"]
    inlines = [AgendaItemInline, AttendanceInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A mistaken draft may go; a published agenda has been sent round.
        if obj is not None and obj.state != MeetingState.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


class DocumentInline(admin.TabularInline):
    model = AgendaDocument
    extra = 0
    fields = ["title", "file", "reference"]


@admin.register(AgendaItem)
class AgendaItemAdmin(NoAddAdmin):
    list_display = ["meeting", "position", "title", "owner"]
    list_filter = ["meeting__body"]
    search_fields = ["title"]
    readonly_fields = ["uuid", "meeting", "position"]
    fields = [*readonly_fields, "title", "owner", "description", "decision_asked"]
    inlines = [DocumentInline]


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    """Where a decision of the register was taken: written with the decision, never changed."""

    list_display = ["decision", "meeting", "item", "supersedes", "recorded_by"]
    list_filter = ["meeting__body"]
    search_fields = ["decision__code", "decision__subject"]


class PartyInline(ReadOnlyInline):
    model = AgreementParty
    fields = readonly_fields = ("organisation", "share")


class NoteInline(ReadOnlyInline):
    model = AgreementNote
    fields = readonly_fields = ("at", "author", "status_from", "status_to", "text")


@admin.register(Agreement)
class AgreementAdmin(NoAddAdmin):
    list_display = ["title", "body", "owner", "deadline", "metric", "target", "status"]
    list_filter = ["status", "body", "metric"]
    search_fields = ["title", "owner"]
    date_hierarchy = "deadline"
    # Dates, metric and target decide the computed progress and the parties' shares add up to
    # the target: those are checked by the service, so they are not changed here either.
    readonly_fields = [
        "uuid",
        "body",
        "meeting",
        "start_date",
        "deadline",
        "metric",
        "target",
        "status",
        "status_reason",
        "created_by",
    ]
    fields = ["title", "description", "owner", *readonly_fields]
    inlines = [PartyInline, NoteInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its notes are its history; end it with the status "dropped"


class EventInline(ReadOnlyInline):
    model = EscalationEvent
    fields = readonly_fields = ("at", "actor", "status_from", "status_to", "note")


@admin.register(Escalation)
class EscalationAdmin(NoAddAdmin):
    list_display = ["title", "body", "urgency", "raised_on", "deadline", "status"]
    list_filter = ["status", "urgency"]
    search_fields = ["title"]
    readonly_fields = [
        "uuid",
        "body",
        "raised_on",
        "raised_by",
        "status",
        "item",
        "decision",
        "decided_on",
        "closing_note",
    ]
    fields = ["title", "question", "options", "advice", "urgency", "deadline", *readonly_fields]
    inlines = [EventInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its events are its history; withdraw it by closing it with a reason


@admin.register(PrtPack)
class PrtPackAdmin(NoAddAdmin):
    """A draft's notes can be corrected; a frozen or sent pack is what it was (checksummed)."""

    list_display = ["housing_region", "on", "state", "frozen_at", "sent_at"]
    list_filter = ["state", "housing_region"]
    readonly_fields = [
        "uuid",
        "housing_region",
        "on",
        "meeting",
        "state",
        "checksum",
        "created_by",
        "frozen_by",
        "frozen_at",
        "sent_by",
        "sent_at",
    ]
    fields = [*readonly_fields, "chair_notes", "secretary_notes"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.state != PackState.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.state != PackState.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "agenda_published", "pack_ready", "deadline"]
    raw_id_fields = ["user"]


@admin.register(NoticeSent)
class NoticeSentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "key", "user", "sent_at"]
    list_filter = ["kind"]
