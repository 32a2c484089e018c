import factory
from factory.django import DjangoModelFactory

from opvangregie.organisations.constants import BodyKind, BodyLevel, OrganisationKind, SeatRole
from opvangregie.organisations.models import Body, Organisation, Seat


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MUNICIPALITY
    code = factory.Sequence(lambda n: f"GM9{n:03d}")
    cbs_code = factory.SelfAttribute("code")
    name = factory.Faker("city", locale="nl_NL")


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    code = factory.Sequence(lambda n: f"body-{n}")
    name = factory.Sequence(lambda n: f"Overleg {n}")
    kind = BodyKind.TABLE
    level = BodyLevel.HOUSING_REGION


class SeatFactory(DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    code = factory.Sequence(lambda n: f"seat-{n}")
    role = SeatRole.MEMBER
    holder_function = "Portefeuillehouder"
