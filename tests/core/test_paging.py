import pytest

from cylch.core.paging import page_read
from cylch.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_page_is_read_once_so_what_is_logged_is_what_is_listed(django_assert_num_queries):
    PersonFactory.create_batch(3)
    page = page_read(Person.objects.order_by("pk"), size=2, number=1)
    with django_assert_num_queries(0):
        assert len(list(page.object_list)) == 2
        assert len(list(page.object_list)) == 2


@pytest.mark.parametrize("number", [None, "nonsense", "99"])
def test_a_missing_bad_or_too_high_page_number_gives_the_nearest_page(number):
    PersonFactory.create_batch(3)
    assert page_read(Person.objects.order_by("pk"), size=2, number=number).number == (2 if number == "99" else 1)
