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


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", email="", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


AGENDA_FILE = "schedule/data/kvm-forum-2012-agenda.txt"


@pytest.fixture
def kvm_forum(db):
    """The 2012 KVM Forum + oVirt Workshop, imported from the project's agenda file."""
    from conference.models import Event
    from schedule.services import agenda_import

    agenda_import(path=AGENDA_FILE, event_slug="kvm-forum-2012", zone="Europe/Madrid")
    return Event.objects.get(slug="kvm-forum-2012")


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache, as a fresh deployment would."""
    from django.core.cache import cache

    from conference.page_cache import recent_entries, versions

    cache.clear()
    recent_entries.clear()
    versions._stamped_in.clear()
