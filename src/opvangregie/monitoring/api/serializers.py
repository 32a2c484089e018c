"""The shapes of the monitoring API's answers, for the OpenAPI document. The views answer with
the selectors' ``as_dict()``; a test checks that the two agree."""

from rest_framework import serializers

from opvangregie.capacity.constants import LocationType
from opvangregie.residents.constants import DepartureReason


class FiguresSerializer(serializers.Serializer):
    capacity = serializers.IntegerField(help_text="Beds of operating locations.")
    allocable = serializers.IntegerField(help_text="Beds minus blocked beds.")
    occupied = serializers.IntegerField(help_text="Persons with a stay on the date.")
    free = serializers.IntegerField(help_text="Capacity minus occupied.")
    free_allocable = serializers.IntegerField(help_text="Allocable minus occupied, at least 0.")
    occupancy_pct = serializers.FloatField(
        allow_null=True, help_text="Occupied as % of capacity; null without capacity."
    )


class UnitFiguresSerializer(serializers.Serializer):
    level = serializers.CharField()
    code = serializers.CharField(help_text="Code of the unit; the UUID of a location.")
    name = serializers.CharField()
    parents = serializers.DictField(
        child=serializers.CharField(), help_text="Codes of the units above, by level."
    )
    type = serializers.CharField(
        required=False, help_text="Locations only: " + ", ".join(LocationType.values)
    )
    status = serializers.CharField(allow_null=True, required=False, help_text="Locations only.")
    total = FiguresSerializer()
    short_stay = FiguresSerializer()
    long_stay = FiguresSerializer()
    by_type = serializers.DictField(child=FiguresSerializer(), help_text="By location type.")


class LevelFiguresSerializer(serializers.Serializer):
    on = serializers.DateField()
    level = serializers.CharField()
    units = UnitFiguresSerializer(many=True)


class TallySerializer(serializers.Serializer):
    persons = serializers.IntegerField()
    households = serializers.IntegerField()


class WeekFlowsSerializer(serializers.Serializer):
    week = serializers.CharField(help_text="ISO week, e.g. 2024-W06.")
    starts_on = serializers.DateField(help_text="The Monday of the week.")
    arrivals = TallySerializer(help_text="Stays that start with an intake.")
    departures = TallySerializer(help_text="Stays that end with a departure reason.")
    departures_by_reason = serializers.DictField(
        child=TallySerializer(), help_text="Keys: " + ", ".join(DepartureReason.values)
    )
    moves_in = TallySerializer(help_text="Moves from another unit at this level.")
    moves_out = TallySerializer(help_text="Moves to another unit at this level.")
    inflow = serializers.IntegerField(help_text="Persons: arrivals + moves in.")
    outflow = serializers.IntegerField(help_text="Persons: departures + moves out.")
    net = serializers.IntegerField(help_text="Inflow minus outflow.")


class UnitFlowsSerializer(serializers.Serializer):
    level = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    parents = serializers.DictField(child=serializers.CharField())
    weeks = WeekFlowsSerializer(many=True)


# Built with type() because "from" is a Python keyword.
FlowsSerializer = type(
    "FlowsSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.DateField(help_text="The Monday of the first week."),
        "to": serializers.DateField(help_text="The Sunday of the last week."),
        "level": serializers.CharField(),
        "units": UnitFlowsSerializer(many=True),
    },
)


class RunwayPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    allocable = serializers.IntegerField(help_text="Known allocable capacity on the day.")
    projected_occupied = serializers.FloatField()
    projected_free_allocable = serializers.FloatField(help_text="Below 0: places short.")


class RunwaySerializer(serializers.Serializer):
    level = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    allocable = serializers.IntegerField()
    occupied = serializers.IntegerField()
    free_allocable = serializers.IntegerField()
    inflow_per_week = serializers.FloatField()
    outflow_per_week = serializers.FloatField()
    net_per_week = serializers.FloatField()
    share = serializers.FloatField(
        allow_null=True, help_text="Share of entered numbers; null for an average."
    )
    runs_out_on = serializers.DateField(
        allow_null=True, help_text="First day without free allocable places; null: never."
    )
    series = RunwayPointSerializer(many=True)


class ScenarioSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["average", "entered"])
    weeks = serializers.IntegerField(allow_null=True)
    inflow_per_week = serializers.IntegerField(allow_null=True)
    outflow_per_week = serializers.IntegerField(allow_null=True)
    basis_from = serializers.DateField(allow_null=True)
    basis_to = serializers.DateField(allow_null=True)


class ForecastSerializer(serializers.Serializer):
    on = serializers.DateField()
    scenario = ScenarioSerializer()
    units = RunwaySerializer(many=True)
