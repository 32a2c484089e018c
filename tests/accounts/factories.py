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
