"""Clusters without chaining: a record joins a cluster only if no member of it contradicts the record."""

from __future__ import annotations

from cylch.linkage.batch import link_rows, prepare_row
from cylch.linkage.clustering import constrained_clusters
from cylch.linkage.scoring import Decision
from tests.factories import test_nhs_number as nhs_number

LINKED = (Decision.LINK, {})
CONTRADICTING = (Decision.NEW, {"date_of_birth": "else"})
UNRELATED = (Decision.NEW, {})


def _verdicts(table: dict[tuple[str, str], tuple[Decision, dict[str, str | None]]]):
    return lambda a, b: table.get((a, b)) or table.get((b, a)) or UNRELATED


def test_two_links_through_a_middle_record_do_not_join_records_that_contradict():
    verdict = _verdicts({("A", "B"): LINKED, ("B", "C"): LINKED, ("A", "C"): CONTRADICTING})
    clustering = constrained_clusters("ABC", [("A", "B", 0.99), ("B", "C", 0.97)], verdict)
    assert clustering.clusters_by_record["A"] != clustering.clusters_by_record["C"]


def test_the_stronger_link_is_made_and_the_weaker_held_back_for_review():
    verdict = _verdicts({("A", "B"): LINKED, ("B", "C"): LINKED, ("A", "C"): CONTRADICTING})
    clustering = constrained_clusters("ABC", [("B", "C", 0.97), ("A", "B", 0.99)], verdict)
    assert clustering.clusters_by_record == {"A": "A", "B": "A", "C": "C"}
    assert clustering.held_back == [("B", "C", 0.97)]


def test_records_that_merely_fail_to_link_directly_still_join_through_a_third():
    verdict = _verdicts({("A", "B"): LINKED, ("B", "C"): LINKED})
    clustering = constrained_clusters("ABC", [("A", "B", 0.99), ("B", "C", 0.97)], verdict)
    assert set(clustering.clusters_by_record.values()) == {"A"}


def _row(record_id: str, date_of_birth: str) -> dict[str, object]:
    return prepare_row(
        {
            "record_id": record_id,
            "given_name": "Gwenllian",
            "family_name": "Pritchard",
            "date_of_birth": date_of_birth,
            "sex": "female",
            "postcode": "CF10 1AA",
        }
    )


def test_batch_linkage_keeps_a_child_and_her_namesake_mother_apart_though_a_record_without_a_birth_date_links_both():
    # The daughter (2017) and the mother (1986) share a name and a home; the third record, without a birth date,
    # scores as a link with each of them.
    result = link_rows([_row("1", "2017-06-09"), _row("2", ""), _row("3", "1986-03-02")])
    assert result.clusters_by_record["1"] != result.clusters_by_record["3"]
    assert {(a, b) for a, b, _ in result.reviews} >= {("1", "3")}


def test_a_record_without_a_birth_date_or_nhs_number_joins_neither_of_two_namesakes_a_generation_apart():
    # A school's contact "Gwenllian Pritchard" at the home of a mother and a daughter of that name: which is it?
    result = link_rows([_row("1", "2017-06-09"), _row("2", ""), _row("3", "1986-03-02")])
    assert len(set(result.clusters_by_record.values())) == 3
    assert {(a, b): result.review_evidence[(a, b)][1] for a, b, _ in result.reviews if "2" in (a, b)} == {
        ("1", "2"): "namesakes_around",
        ("2", "3"): "namesakes_around",
    }


def test_a_record_linked_to_namesakes_of_one_generation_only_still_joins_them():
    verdict = _verdicts({("A", "B"): LINKED, ("B", "C"): LINKED})
    clustering = constrained_clusters("ABC", [("A", "B", 0.99), ("B", "C", 0.97)], verdict, undated={"B"})
    assert set(clustering.clusters_by_record.values()) == {"A"}


def test_an_undated_record_between_two_namesakes_a_generation_apart_is_held_back_from_both():
    namesakes = (Decision.NEW, {"given_name": "exact", "family_name": "exact", "date_of_birth": "else"})
    verdict = _verdicts({("A", "B"): LINKED, ("B", "C"): LINKED, ("A", "C"): namesakes})
    clustering = constrained_clusters("ABC", [("A", "B", 0.99), ("B", "C", 0.97)], verdict, undated={"B"})
    assert clustering.clusters_by_record == {"A": "A", "B": "B", "C": "C"}
    assert clustering.between_namesakes == {"B"}


def _woman(record_id: str, given: str, family: str) -> dict[str, object]:
    return prepare_row(
        {
            "record_id": record_id,
            "given_name": given,
            "family_name": family,
            "date_of_birth": "1990-11-26",
            "sex": "female",
            "postcode": "LL53 9WH",
            "nhs_number": nhs_number(5),
        }
    )


def test_an_nhs_number_and_a_birth_date_agreeing_are_no_contradiction_though_both_names_differ():
    # Rachel Smith married (Rachel Edwards) and is known by her middle name (Rebecca Edwards): the first and the
    # last record share only the NHS number and the birth date, so a person reviews them, but each links to the
    # middle one and nothing says they are two people.
    result = link_rows(
        [_woman("1", "Rachel", "Smith"), _woman("2", "Rachel", "Edwards"), _woman("3", "Rebecca", "Edwards")]
    )
    assert len(set(result.clusters_by_record.values())) == 1
    assert result.review_evidence[("1", "3")][1] == "nhs_number_only"
