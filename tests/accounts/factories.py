import factory
from factory.django import DjangoModelFactory

from opvangregie.accounts.models import User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    password = factory.django.Password("een-lang-wachtwoord")


def user_with_role(role: str | None = None, organisation: str | None = None) -> User:
    """A user holding ``role`` for the organisation with code ``organisation`` (or no role)."""
    from opvangregie.accounts.services import role_assignment_create
    from opvangregie.organisations.models import Organisation

    user: User = UserFactory()
    if role and organisation:
        role_assignment_create(
            user=user,
            role=role,
            organisation=Organisation.objects.get(code=organisation),
        )
    return user
