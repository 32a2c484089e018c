from typing import Any

from rest_framework import serializers

from opvangregie.allocation.backends import BACKENDS
from opvangregie.placement.models import PlacementEvent, PlacementRun, ProposalLine


class ProposalLineSerializer(serializers.ModelSerializer[ProposalLine]):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:proposal-line-detail", lookup_field="uuid"
    )
    run = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    household = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    location = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    location_name = serializers.CharField(source="location.name", read_only=True, default=None)
    municipality = serializers.CharField(
        source="location.municipality.code", read_only=True, default=None
    )
    alternative = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]
    explanation = serializers.CharField(read_only=True)

    class Meta:
        model = ProposalLine
        fields = [
            "url",
            "uuid",
            "run",
            "household",
            "size",
            "location",
            "location_name",
            "municipality",
            "beds",
            "score",
            "explanation",
            "alternative",
            "alternative_reason",
            "overridden",
            "override_reason",
            "response",
            "response_reason",
            "responded_at",
            "outcome",
            "outcome_message",
        ]


class FairnessSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField(source="code")
    name = serializers.CharField()
    target = serializers.FloatField()
    present = serializers.FloatField()
    placed = serializers.IntegerField()
    deviation_before = serializers.FloatField()
    deviation_after = serializers.FloatField()


class EventSerializer(serializers.ModelSerializer[PlacementEvent]):
    actor = serializers.CharField(source="actor.username")
    line = serializers.SlugRelatedField(slug_field="uuid", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = PlacementEvent
        fields = ["at", "action", "actor", "line", "detail"]


class PlacementRunSerializer(serializers.ModelSerializer[PlacementRun]):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:placement-run-detail", lookup_field="uuid"
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = PlacementRun
        fields = [
            "url",
            "uuid",
            "on",
            "state",
            "created_by",
            "created_at",
            "backend",
            "time_limit",
            "seed",
            "weights",
            "solver_status",
            "objective",
            "bound",
            "gap",
            "seconds",
            "solver_settings",
            "deviation_before",
            "deviation_after",
        ]


class PlacementRunDetailSerializer(PlacementRunSerializer):
    lines = serializers.SerializerMethodField()
    fairness = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(PlacementRunSerializer.Meta):
        fields = [*PlacementRunSerializer.Meta.fields, "fairness", "lines", "events"]

    def get_lines(self, run: PlacementRun) -> list[dict[str, Any]]:
        return ProposalLineSerializer(self.context["lines"], many=True, context=self.context).data  # type: ignore[return-value]

    def get_fairness(self, run: PlacementRun) -> list[dict[str, Any]]:
        review = self.context["review"]
        if review is None:
            return []
        return FairnessSerializer(review.municipalities, many=True).data  # type: ignore[return-value]

    def get_events(self, run: PlacementRun) -> list[dict[str, Any]]:
        events = self.context.get("events")
        return EventSerializer(events, many=True).data if events is not None else []  # type: ignore[return-value]


class RunCreateSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    backend = serializers.ChoiceField(choices=list(BACKENDS), default="highs")
    time_limit = serializers.FloatField(min_value=1, max_value=600, default=20.0)
    seed = serializers.IntegerField(default=0)
    weights = serializers.DictField(
        child=serializers.FloatField(), required=False, help_text="Objective weights by name."
    )


class ApproveSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="The accepted households move on this date.")


class ApprovalSerializer(serializers.Serializer[Any]):
    placed = ProposalLineSerializer(many=True)
    conflicts = ProposalLineSerializer(many=True)


class OverrideSerializer(serializers.Serializer[Any]):
    location = serializers.UUIDField(allow_null=True, help_text="null: leave unplaced.")
    reason = serializers.CharField(max_length=500)


class RespondSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
