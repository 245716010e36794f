"""#18 in a real browser, in English and in Welsh: a board officer imports a spreadsheet of coded reviews, runs the
analysis over them in one click and downloads the report.

The pages are driven by field names and link addresses, so one test serves both languages; each checks that the
page was in the language chosen (the coding frame's own Welsh labels show it)."""

from __future__ import annotations

import pytest

from cylch.accounts.models import RoleCode
from cylch.thematic.models import CodedReview
from tests.browser.axe import assert_accessible
from tests.browser.test_front_door_loop import sign_in
from tests.factories import PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = {"en": "Neglect", "cy": "Esgeulustod"}
INFLICTED = "vuln_neglect,vuln_physical_abuse,vuln_emotional_abuse"
INTERNAL = "vuln_self_esteem,vuln_suicidal_thoughts,vuln_neurodiversity"


def _spreadsheet(path):
    """Twelve reviews: six with inflicted harm, six with internal harm, dates a few months apart."""
    lines = [f"review_id,review_type,incident_date,referral_date,completion_date,{INFLICTED},{INTERNAL}"]
    for number in range(12):
        inflicted = "1,1,1,0,0,0" if number < 6 else "0,0,0,1,1,1"
        month = number % 9 + 1
        lines.append(f"CPR-{number:02d},cpr_concise,2021-0{month}-01,2021-0{month}-20,2022-0{month}-01,{inflicted}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_board_officer_imports_reviews_and_produces_the_analysis(page, live_server, tmp_path, language):
    PractitionerFactory(username=f"board.{language}", roles=[RoleCode.BOARD_OFFICER])
    sign_in(page, live_server, f"board.{language}")
    if language == "cy":
        page.get_by_role("button", name="Cymraeg").click()
    page.goto(f"{live_server.url}/thematic/import/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    page.set_input_files("input[name=file]", str(_spreadsheet(tmp_path / "reviews.csv")))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/thematic/reviews/")
    assert CodedReview.objects.count() == 12
    assert page.locator("main table tbody tr").count() == 12

    page.goto(f"{live_server.url}/thematic/")
    page.select_option("select[name=review_type]", "cpr_concise")
    page.locator("main form.thematic-filter button[type=submit]").click()
    main = page.locator("main")
    assert "review_type=cpr_concise" in page.url
    assert LANGUAGES[language] in main.inner_text()
    assert main.locator("svg#dendrogram, svg[aria-labelledby^=dendrogram]").count() == 1
    assert main.locator("svg[aria-labelledby^=timeliness]").count() == 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator(f"a[href*='report.pdf'][href$='language={language}']").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    page.goto(f"{live_server.url}/thematic/reviews/CPR-00/")
    assert page.locator("input[name=codes_vulnerability][value=vuln_neglect]").is_checked()
    assert_accessible(page)
