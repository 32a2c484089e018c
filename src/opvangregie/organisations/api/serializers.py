from rest_framework import serializers

from opvangregie.organisations.models import Body, Organisation, Seat


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="uuid"
    )

    class Meta:
        model = Organisation
        fields = [
            "url",
            "uuid",
            "code",
            "kind",
            "name",
            "short_name",
            "cbs_code",
            "region_kind",
            "legal_form",
            "description",
            "valid_from",
            "valid_to",
        ]


class OrganisationRefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["uuid", "code", "name"]


class SeatSerializer(serializers.ModelSerializer[Seat]):
    url = serializers.HyperlinkedIdentityField(view_name="api:seat-detail", lookup_field="uuid")
    body: serializers.SlugRelatedField[Body] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    holder = serializers.CharField(read_only=True)

    class Meta:
        model = Seat
        fields = [
            "url",
            "uuid",
            "body",
            "code",
            "role",
            "holder",
            "holder_name",
            "holder_function",
            "organisation",
            "valid_from",
            "valid_to",
        ]


class BodySerializer(serializers.ModelSerializer[Body]):
    url = serializers.HyperlinkedIdentityField(view_name="api:body-detail", lookup_field="uuid")
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    secretary_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    tasks = serializers.ListField(source="task_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Body
        fields = [
            "url",
            "uuid",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "organisation",
            "secretary_organisation",
            "secretary_function",
            "tasks",
            "valid_from",
            "valid_to",
        ]
