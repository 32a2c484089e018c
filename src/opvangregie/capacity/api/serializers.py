from typing import Any

from rest_framework import serializers

from opvangregie.capacity.constants import Feature, LocationStatus, LocationType
from opvangregie.capacity.models import CapacityRecord, Location, LocationStatusEvent


class CapacityRecordSerializer(serializers.ModelSerializer[CapacityRecord]):
    allocable = serializers.IntegerField(read_only=True)
    units = serializers.SerializerMethodField()

    class Meta:
        model = CapacityRecord
        fields = [
            "valid_from",
            "beds",
            "blocked_beds",
            "blocked_reason",
            "allocable",
            "units",
            "note",
        ]

    def get_units(self, record: CapacityRecord) -> dict[str, int]:
        return {str(u.size): u.count for u in record.units.all()}


class StatusEventSerializer(serializers.ModelSerializer[LocationStatusEvent]):
    class Meta:
        model = LocationStatusEvent
        fields = ["status", "effective_date", "note"]


class LocationSerializer(serializers.ModelSerializer[Location]):
    url = serializers.HyperlinkedIdentityField(view_name="api:location-detail", lookup_field="uuid")
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    features = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    capacity = serializers.SerializerMethodField()

    class Meta:
        model = Location
        fields = [
            "url",
            "uuid",
            "external_id",
            "name",
            "type",
            "municipality",
            "street",
            "postcode",
            "place",
            "lets_units",
            "is_backup",
            "note",
            "features",
            "status",
            "capacity",
        ]

    def get_features(self, location: Location) -> list[str]:
        return sorted(f.feature for f in location.features.all())

    def get_status(self, location: Location) -> list[dict[str, Any]]:
        return StatusEventSerializer(location.status_events.all(), many=True).data  # type: ignore[return-value]

    def get_capacity(self, location: Location) -> list[dict[str, Any]]:
        return CapacityRecordSerializer(location.capacity.all(), many=True).data  # type: ignore[return-value]


class LocationCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=LocationType.choices)
    municipality = serializers.CharField(help_text="CBS code, e.g. GM0513.")
    beds = serializers.IntegerField(min_value=0)
    blocked_beds = serializers.IntegerField(min_value=0, default=0)
    blocked_reason = serializers.CharField(max_length=200, required=False, default="")
    opens_on = serializers.DateField()
    status = serializers.ChoiceField(
        choices=[LocationStatus.PLANNED, LocationStatus.OPEN], default=LocationStatus.OPEN
    )
    features = serializers.ListField(
        child=serializers.ChoiceField(choices=Feature.choices), default=list
    )
    units = serializers.DictField(child=serializers.IntegerField(min_value=1), required=False)
    external_id = serializers.CharField(
        max_length=100, required=False, allow_null=True, default=None
    )
    lets_units = serializers.BooleanField(default=False)
    is_backup = serializers.BooleanField(default=False)
    street = serializers.CharField(max_length=200, required=False, default="")
    postcode = serializers.CharField(max_length=10, required=False, default="")
    place = serializers.CharField(max_length=100, required=False, default="")
    note = serializers.CharField(required=False, default="")


class LocationUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    lets_units = serializers.BooleanField(required=False)
    is_backup = serializers.BooleanField(required=False)
    features = serializers.ListField(
        child=serializers.ChoiceField(choices=Feature.choices), required=False
    )


class CapacityChangeSerializer(serializers.Serializer[Any]):
    valid_from = serializers.DateField()
    beds = serializers.IntegerField(min_value=0)
    blocked_beds = serializers.IntegerField(min_value=0, default=0)
    blocked_reason = serializers.CharField(max_length=200, required=False, default="")
    units = serializers.DictField(child=serializers.IntegerField(min_value=1), required=False)
    note = serializers.CharField(max_length=300, required=False, default="")


class StatusChangeSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=LocationStatus.choices)
    effective_date = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, default="")


class OccupancyRowSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    external_id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    type = serializers.CharField()
    municipality = serializers.CharField()
    municipality_name = serializers.CharField()
    housing_region = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    capacity = serializers.IntegerField()
    allocable = serializers.IntegerField()
    occupied = serializers.IntegerField()
    free = serializers.IntegerField()
    free_allocable = serializers.IntegerField()
    occupancy_pct = serializers.FloatField(allow_null=True)
