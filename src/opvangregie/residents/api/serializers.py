from typing import Any

from rest_framework import serializers

from opvangregie.residents.constants import DepartureReason, Need, Sex, TieKind
from opvangregie.residents.models import Household, Person, Stay


class PersonSerializer(serializers.ModelSerializer[Person]):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="uuid")
    has_bsn = serializers.BooleanField(
        read_only=True, help_text="A BSN is on record (never shown)."
    )
    household = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Person
        fields = [
            "url",
            "uuid",
            "household",
            "external_id",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "nationality",
            "languages",
            "has_bsn",
        ]


class StaySerializer(serializers.ModelSerializer[Stay]):
    person = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    location = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    location_name = serializers.CharField(source="location.name", read_only=True)

    class Meta:
        model = Stay
        fields = [
            "uuid",
            "person",
            "location",
            "location_name",
            "start_date",
            "end_date",
            "arrival",
            "departure_reason",
        ]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:household-detail", lookup_field="uuid"
    )
    persons = PersonSerializer(many=True, read_only=True)
    needs = serializers.SerializerMethodField()
    ties = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["url", "uuid", "external_id", "note", "persons", "needs", "ties"]

    def get_needs(self, household: Household) -> list[str]:
        return sorted(n.need for n in household.needs.all())

    def get_ties(self, household: Household) -> list[dict[str, str]]:
        return [{"municipality": t.municipality.code, "kind": t.kind} for t in household.ties.all()]


class PersonInputSerializer(serializers.Serializer[Any]):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    nationality = serializers.CharField(max_length=3, default="UKR")
    languages = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    external_id = serializers.CharField(
        max_length=100, required=False, allow_null=True, default=None
    )
    bsn = serializers.CharField(
        max_length=11,
        required=False,
        default="",
        allow_blank=True,
        write_only=True,
        help_text="Optional; validated with the eleven test, stored encrypted, never returned.",
    )


class TieInputSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField(help_text="CBS code.")
    kind = serializers.ChoiceField(choices=TieKind.choices)


class HouseholdCreateSerializer(serializers.Serializer[Any]):
    external_id = serializers.CharField(
        max_length=100, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)
    persons = PersonInputSerializer(many=True)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), default=list)
    ties = TieInputSerializer(many=True, default=list)
    location = serializers.UUIDField(required=False, help_text="Check in here at once (intake).")
    intake_on = serializers.DateField(required=False)


class IntakeSerializer(serializers.Serializer[Any]):
    location = serializers.UUIDField()
    on = serializers.DateField()


class DepartureSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    reason = serializers.ChoiceField(choices=DepartureReason.choices)
