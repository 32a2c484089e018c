from typing import Any

from rest_framework import serializers

from opvangregie.reports.constants import Audience
from opvangregie.reports.models import IssuedReport


class IssuedReportSerializer(serializers.ModelSerializer[IssuedReport]):
    url = serializers.HyperlinkedIdentityField(view_name="api:report-detail", lookup_field="uuid")
    issued_by = serializers.SerializerMethodField()

    class Meta:
        model = IssuedReport
        fields = ["url", "uuid", "week", "audience", "version", "issued_at", "issued_by", "note"]
        fields += ["checksum"]

    def get_issued_by(self, report: IssuedReport) -> str | None:
        user = report.issued_by
        return (user.get_full_name() or user.username) if user else None


class ReportChangeSerializer(serializers.Serializer[Any]):
    section = serializers.CharField()
    unit = serializers.CharField()
    item = serializers.CharField()
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class FrozenReportSerializer(IssuedReportSerializer):
    """An issued version as it was sent: the figures from the stored JSON, verified against the
    checksum, and what changed since the previous version."""

    previous_version = serializers.IntegerField(allow_null=True)
    figures = serializers.JSONField(help_text="The report's content as issued (JSON).")
    changes = ReportChangeSerializer(many=True)

    class Meta(IssuedReportSerializer.Meta):
        fields = [*IssuedReportSerializer.Meta.fields, "previous_version", "figures", "changes"]


class ReportIssueSerializer(serializers.Serializer[Any]):
    week = serializers.RegexField(r"^\d{4}-W\d{2}$", help_text="ISO week, e.g. 2024-W10.")
    audience = serializers.ChoiceField(choices=Audience.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
