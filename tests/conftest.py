import pytest

from conference.admin_site import ORGANISERS_GROUP
from tests.factories import UserFactory


@pytest.fixture
def organiser(db):
    """A person whose only grant is membership of the Organisers group."""
    from django.contrib.auth.models import Group

    user = UserFactory(username="organiser")
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client
