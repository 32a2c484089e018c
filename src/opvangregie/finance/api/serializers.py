from typing import Any

from rest_framework import serializers

from opvangregie.finance.constants import RATE_UNITS, CostCategory
from opvangregie.finance.models import CostEntry, CostStatement, Declaration, StandardRate
from opvangregie.finance.selectors import statement_difference, statement_intact


class StandardRateSerializer(serializers.ModelSerializer[StandardRate]):
    unit = serializers.SerializerMethodField()

    class Meta:
        model = StandardRate
        fields = ["code", "kind", "unit", "amount", "valid_from", "valid_to", "source", "note"]

    def get_unit(self, rate: StandardRate) -> str:
        return RATE_UNITS[rate.kind]


class DeclarationLineSerializer(serializers.Serializer[Any]):
    location = serializers.UUIDField()
    location_name = serializers.CharField()
    location_type = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    quantity = serializers.IntegerField(help_text="Place-days or person-days.")
    rate = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    rate_code = serializers.CharField(allow_null=True)
    divisor = serializers.IntegerField(help_text="1 for a rate per day; days of the month.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class DeclarationFiguresSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    municipality_name = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    lines = DeclarationLineSerializer(many=True)
    totals = serializers.DictField(child=serializers.DictField())
    missing_rates = serializers.ListField(child=serializers.DictField())
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class CostFiguresSerializer(serializers.Serializer[Any]):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    entries = serializers.ListField(child=serializers.DictField())
    categories = serializers.DictField(child=serializers.DictField())
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class DifferenceSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    part = serializers.CharField(source="label", help_text="The location or cost category.")
    quantity_before = serializers.IntegerField()
    quantity_after = serializers.IntegerField()
    amount_before = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount_after = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount_change = serializers.DecimalField(max_digits=14, decimal_places=2)


class _StatementSerializer(serializers.ModelSerializer[Any]):
    previous = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    intact = serializers.SerializerMethodField(
        help_text="Whether the figures still match the checksum taken when they were frozen."
    )
    difference = serializers.SerializerMethodField()

    STATEMENT_FIELDS = [
        "url",
        "uuid",
        "first_day",
        "last_day",
        "version",
        "previous",
        "total",
        "checksum",
        "intact",
        "reason",
        "submitted_by",
        "submitted_at",
    ]

    def get_intact(self, statement: Any) -> bool:
        return statement_intact(statement)

    def get_difference(self, statement: Any) -> list[dict[str, Any]] | None:
        if statement.previous is None:
            return None
        changes = statement_difference(before=statement.previous.figures, after=statement.figures)
        return DifferenceSerializer(changes, many=True).data  # type: ignore[return-value]


class DeclarationSerializer(_StatementSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:declaration-detail", lookup_field="uuid"
    )
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = Declaration
        fields = [*_StatementSerializer.STATEMENT_FIELDS[:2], "municipality",
                  *_StatementSerializer.STATEMENT_FIELDS[2:]]  # fmt: skip


class DeclarationDetailSerializer(DeclarationSerializer):
    figures = DeclarationFiguresSerializer(read_only=True)

    class Meta(DeclarationSerializer.Meta):
        fields = [*DeclarationSerializer.Meta.fields, "figures", "difference"]


class CostStatementSerializer(_StatementSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:cost-statement-detail", lookup_field="uuid"
    )
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = CostStatement
        fields = [*_StatementSerializer.STATEMENT_FIELDS[:2], "organisation",
                  *_StatementSerializer.STATEMENT_FIELDS[2:]]  # fmt: skip


class CostStatementDetailSerializer(CostStatementSerializer):
    figures = CostFiguresSerializer(read_only=True)

    class Meta(CostStatementSerializer.Meta):
        fields = [*CostStatementSerializer.Meta.fields, "figures", "difference"]


class PeriodSerializer(serializers.Serializer[Any]):
    first_day = serializers.DateField()
    last_day = serializers.DateField(help_text="The last day, inclusive.")


class DeclarationSubmitSerializer(PeriodSerializer):
    municipality = serializers.CharField(help_text="CBS code, e.g. GM0513.")
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class CostStatementSubmitSerializer(PeriodSerializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class CostEntrySerializer(serializers.ModelSerializer[CostEntry]):
    category = serializers.ChoiceField(choices=CostCategory.choices)

    class Meta:
        model = CostEntry
        fields = [
            "uuid",
            "incurred_on",
            "category",
            "description",
            "amount",
            "document_reference",
            "created_at",
        ]
        read_only_fields = ["uuid", "created_at"]
