"""Loading the synthetic region into the database, and the demo: a small region plus one sign-in per role.

The generator's rows go in with explicit ids (allocated after the current maximum of each table),
by COPY on PostgreSQL and `executemany` on SQLite, inside one transaction: a failed load leaves
nothing behind. Model `save()` is bypassed, so the generator computes what `save()` would (the
phonetic name keys) itself.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner, Region, Role, RoleCode, Team
from cylch.accounts.services import authenticator_add, authenticator_of, authenticator_secret, authenticator_uri
from cylch.chronology.models import ChronologyEvent
from cylch.linkage.relink import blocking_index_rebuild
from cylch.people.models import (
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    PersonIdentifier,
    PersonName,
    Relationship,
    SourceRecord,
    StatutoryStatus,
)
from cylch.synthetic.capabilities import capabilities_demo_load
from cylch.synthetic.generator import REFERENCE_DATE, TABLE_ORDER, TABLES, RegionConfig, Row, generate_region
from cylch.synthetic.models import PlantedTrajectory, SourceRecordTruth, SyntheticRun
from cylch.synthetic.places import DEFAULT_REGION, REGIONS

TABLE_MODELS: dict[str, type[models.Model]] = {
    "region": Region,
    "local_authority": LocalAuthority,
    "agency": Agency,
    "team": Team,
    "practitioner": Practitioner,
    "practitioner_role": Practitioner.roles.through,
    "household": Household,
    "person": Person,
    "person_name": PersonName,
    "person_identifier": PersonIdentifier,
    "household_membership": HouseholdMembership,
    "relationship": Relationship,
    "involvement": Involvement,
    "statutory_status": StatutoryStatus,
    "source_record": SourceRecord,
    "source_record_truth": SourceRecordTruth,
    "chronology_event": ChronologyEvent,
    "planted_trajectory": PlantedTrajectory,
}

DEMO_PEOPLE = 3000
DEMO_SEED = 2025
# "Safeguarding children": a published demo password, never used outside a demo database.
DEMO_PASSWORD = "Diogelu-Plant-2025"  # noqa: S105


class SyntheticRegionExistsError(Exception):
    """The region's councils are already in the database: a second copy would clash on their codes."""


@dataclass(frozen=True)
class LoadResult:
    run: SyntheticRun
    counts: Counter[str]
    seconds: float

    @property
    def people_per_second(self) -> float:
        return self.counts["person"] / self.seconds if self.seconds else 0.0


def _insert_sql(table: str) -> tuple[str, str]:
    """The database table and quoted column list for one of the generator's tables."""
    model = TABLE_MODELS[table]
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(columns[name]) for name in TABLES[table])


def _copy_rows(table: str, rows: list[Row]) -> None:
    db_table, columns = _insert_sql(table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {db_table} ({columns}) FROM STDIN") as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def _insert_rows(table: str, rows: list[Row]) -> None:
    db_table, columns = _insert_sql(table)
    placeholders = ", ".join(["%s"] * len(TABLES[table]))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {db_table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def _first_ids() -> dict[str, int]:
    return {
        table: (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        for table, model in TABLE_MODELS.items()
    }


def synthetic_region_load(
    *,
    people: int,
    seed: int,
    reference_date: datetime.date = REFERENCE_DATE,
    region: str = DEFAULT_REGION,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Generate a region and load it in one transaction; `progress` is told the people loaded so far."""
    started = time.perf_counter()
    codes = [a.code for a in REGIONS[region].authorities]
    counts: Counter[str] = Counter()
    postgres = connection.vendor == "postgresql"
    write = _copy_rows if postgres else _insert_rows
    with transaction.atomic():
        # Generated practitioners reference the fixed roles; make sure the rows exist (a flushed test
        # database, or one built without the seeding migration, may lack them).
        Role.objects.bulk_create([Role(code=code) for code in RoleCode], ignore_conflicts=True)
        if LocalAuthority.objects.filter(code__in=codes).exists():
            raise SyntheticRegionExistsError(
                f"The {REGIONS[region].name} councils are already loaded; use an empty database or another region."
            )
        run = SyntheticRun.objects.create(seed=seed, people=people, region_code=region, reference_date=reference_date)
        config = RegionConfig(
            people=people,
            seed=seed,
            reference_date=reference_date,
            region=region,
            first_ids=_first_ids(),
            run_id=run.pk,
        )
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        for batch in generate_region(config):
            for table in TABLE_ORDER:
                rows = batch.rows.get(table)
                if rows:
                    write(table, rows)
                    counts[table] += len(rows)
            if progress is not None:
                progress(counts["person"])
        if postgres:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(TABLE_MODELS.values())):
                    cursor.execute(sql)
        # File the new source records under their blocking keys, so the region's people are found by
        # the matcher (a concern naming a demo child links to them) exactly as records arriving one by one.
        blocking_index_rebuild()
        run.summary = dict(counts)
        run.save(update_fields=["summary"])
    return LoadResult(run=run, counts=counts, seconds=time.perf_counter() - started)


# ------------------------------------------------------------------- demo


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    role: RoleCode
    agency_kind: AgencyKind
    job_title: str
    team_name: str = ""  # takes over the caseload of a generated member of this team
    first_name: str = ""
    last_name: str = ""
    superuser: bool = False


DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    DemoSignIn("health.visitor", RoleCode.AGENCY_PRACTITIONER, AgencyKind.HEALTH_VISITING, "Health visitor",
               "Health visiting", "Gwenllian", "Morgan"),
    DemoSignIn("school.lead", RoleCode.AGENCY_PRACTITIONER, AgencyKind.SCHOOL, "Designated safeguarding lead",
               "Safeguarding", "Rhys", "Pritchard"),
    DemoSignIn("gp", RoleCode.AGENCY_PRACTITIONER, AgencyKind.GP_PRACTICE, "GP", "Clinical team", "Dafydd", "Owen"),
    DemoSignIn("police.officer", RoleCode.AGENCY_PRACTITIONER, AgencyKind.POLICE, "Police constable",
               "Public Protection Unit", "Ceri", "Watkins"),
    DemoSignIn("front.door", RoleCode.FRONT_DOOR, AgencyKind.CHILDRENS_SERVICES, "Social worker",
               "Information, Advice and Assistance", "Siân", "Bevan"),
    DemoSignIn("front.door.manager", RoleCode.FRONT_DOOR_MANAGER, AgencyKind.CHILDRENS_SERVICES, "Team manager",
               "", "Huw", "Prosser"),
    DemoSignIn("lead.practitioner", RoleCode.LEAD_PRACTITIONER, AgencyKind.CHILDRENS_SERVICES, "Senior social worker",
               "Safeguarding", "Lowri", "Jenkins"),
    DemoSignIn("board.officer", RoleCode.BOARD_OFFICER, AgencyKind.CHILDRENS_SERVICES,
               "Safeguarding board business manager", "", "Elen", "Probert"),
    DemoSignIn("ig.lead", RoleCode.INFORMATION_GOVERNANCE, AgencyKind.CHILDRENS_SERVICES,
               "Information governance lead", "", "Tomos", "Harries"),
    DemoSignIn("admin", RoleCode.ADMINISTRATOR, AgencyKind.CHILDRENS_SERVICES, "System administrator", "",
               "Alys", "Humphreys", superuser=True),
)  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    region_loaded: LoadResult | None
    sign_ins: list[tuple[str, str, str, str, str]]  # username, role, agency, password, authenticator key
    authenticator_uris: list[tuple[str, str]]  # username, otpauth:// address
    created: int
    capabilities: dict[str, int] = field(default_factory=dict)  # what each capability's demo loader planted


def demo_authenticator_key(username: str) -> str:
    """A demo account's authenticator secret (hex), the same on every machine so that it can be printed beside
    the demo password: as public as that password, and as worthless outside a demo database."""
    return hashlib.sha256(f"cylch-demo-authenticator:{username}".encode()).hexdigest()[:40]


def _demo_agency(spec: DemoSignIn) -> Agency | None:
    """The agency of this kind with the most people involved: the busiest caseloads make the best demo."""
    return (
        Agency.objects.filter(kind=spec.agency_kind)
        .annotate(people=Count("involvements"))
        .order_by("-people", "pk")
        .first()
    )


def _take_over_caseload(user: Practitioner, team: Team) -> None:
    """Give the demo user the caseload (and recorded events) of the team's busiest generated member."""
    today = timezone.localdate()
    busiest = (
        Practitioner.objects.filter(team=team, username__startswith="synth")
        .annotate(
            active=Count(
                "involvements", filter=Q(involvements__end_date__isnull=True) | Q(involvements__end_date__gte=today)
            )
        )
        .order_by("-active", "pk")
        .first()
    )
    if busiest is None:
        return
    Involvement.objects.filter(practitioner=busiest).update(practitioner=user)
    ChronologyEvent.objects.filter(recorded_by=busiest).update(recorded_by=user)


def _demo_team(agency: Agency, name: str) -> Team | None:
    if not name:
        return None
    return agency.teams.filter(name__startswith=name).order_by("pk").first()


@transaction.atomic
def demo_sign_ins_ensure() -> tuple[list[tuple[str, str, str, str, str]], list[tuple[str, str]], int]:
    """One demo sign-in per role (and per kind of practitioner), each with an authenticator whose key is printed
    so that two-factor sign-in can be tried at once; existing sign-ins and authenticators are left as they are."""
    encoded: str | None = None
    table: list[tuple[str, str, str, str, str]] = []
    uris: list[tuple[str, str]] = []
    created = 0
    for spec in DEMO_SIGN_INS:
        user = Practitioner.objects.filter(username=spec.username).select_related("agency").first()
        if user is None:
            agency = _demo_agency(spec)
            if agency is None:
                continue
            team = _demo_team(agency, spec.team_name)
            encoded = encoded or make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
            user = Practitioner.objects.create(
                username=spec.username,
                password=encoded,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@example.org",
                agency=agency,
                team=team,
                job_title=spec.job_title,
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
            )
            user.roles.add(Role.objects.get_or_create(code=spec.role)[0])
            if team is not None:
                _take_over_caseload(user, team)
            created += 1
        device = authenticator_of(user) or authenticator_add(
            practitioner=user, key=demo_authenticator_key(spec.username)
        )
        agency_name = user.agency.name if user.agency else ""
        table.append((spec.username, str(spec.role.label), agency_name, DEMO_PASSWORD, authenticator_secret(device)))
        uris.append((spec.username, authenticator_uri(device)))
    return table, uris, created


def demo_create(*, reference_date: datetime.date) -> DemoResult:
    """Load the demo region if there are no people yet, then make sure the demo sign-ins exist."""
    loaded = None
    if not Person.objects.exists():
        loaded = synthetic_region_load(people=DEMO_PEOPLE, seed=DEMO_SEED, reference_date=reference_date)
    sign_ins, uris, created = demo_sign_ins_ensure()
    # The capabilities' work (meetings, reviews, ...) goes in once, with the region: it may name the sign-ins.
    planted = capabilities_demo_load(reference_date=reference_date) if loaded is not None else {}
    return DemoResult(
        region_loaded=loaded, sign_ins=sign_ins, authenticator_uris=uris, created=created, capabilities=planted
    )
