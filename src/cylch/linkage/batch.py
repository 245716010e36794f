"""Batch linkage of a file of person records with Splink, using the same model as incremental linkage.

The comparison levels of `cylch.linkage.scoring` are written here as Splink comparison levels
(SQL per dialect) with the m/u probabilities, the name frequencies and their minimum u fixed from
the model file, so a batch run and the incremental matcher agree. Derived columns (cleaned names,
name forms from `cylch.linkage.names`, phonetic keys, postcode sector and district, the day/month
swap) are computed once in Python before Splink sees the data; each scored pair is then decided by
`cylch.linkage.scoring.decide`, the incremental matcher's own rule (NHS number, twin and
similar-name guards included).

Over 400 lines because it is one pipeline (rows -> Splink settings -> engine -> decisions -> clusters) whose
SQL levels are read back by position (`_gamma_levels`): split, the two halves would have to change together.
"""

from __future__ import annotations

import csv
import datetime
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cylch.linkage.clustering import constrained_clusters
from cylch.linkage.estimation import adapted_parameters
from cylch.linkage.names import clean_given_name, middle_given_names, name_forms, ocr_reading, undoubled, welsh_forms
from cylch.linkage.reasons import review_reasons
from cylch.linkage.scoring import (
    CONTRADICTS_A_RECORD,
    FIELDS,
    KEYING_SLIP_MIN_LENGTH,
    NAMESAKES_AROUND,
    Decision,
    MatchRecord,
    Model,
    clean_family_name,
    clean_nhs_number,
    clean_postcode,
    day_month_swap,
    decide,
    link_decision,
    load_model,
    match_record,
    mistyped_nhs_number,
    model_from_dict,
    nhs_transpositions,
    pair_guard,
    postcode_district,
    postcode_sector,
    score,
)
from cylch.people.text import phonetic_key

INPUT_COLUMNS = ("record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number")
ENGINES = ("duckdb", "spark")


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def prepare_row(row: dict[str, str]) -> dict[str, Any]:
    """One input row with the derived columns the comparisons use (None for anything blank)."""
    given = clean_given_name(row.get("given_name") or "")
    family = clean_family_name(row.get("family_name") or "")
    dob = _date(row.get("date_of_birth") or "")
    swap = day_month_swap(dob) if dob else None
    postcode = clean_postcode(row.get("postcode") or "")
    sex = (row.get("sex") or "").strip().lower()
    nhs = clean_nhs_number(row.get("nhs_number") or "")
    return {
        "unique_id": str(row["record_id"]),
        "given": given or None,
        "given_forms": sorted(name_forms(given)) if given else [],
        "given_welsh": sorted(welsh_forms(given)),
        "given_key": phonetic_key(given) or None,
        "given_middle": sorted(set(middle_given_names(row.get("given_name") or ""))),
        "given_undoubled": undoubled(given) or None,
        "family": family or None,
        "family_parts": sorted({p for p in family.replace("-", " ").split() if len(p) > 1}) if family else [],
        "family_key": phonetic_key(family) or None,
        "family_undoubled": undoubled(family) or None,
        "dob": dob.isoformat() if dob else None,
        "dob_swap": swap.isoformat() if swap else None,
        "dob_y": dob.year if dob else None,
        "dob_m": dob.month if dob else None,
        "dob_d": dob.day if dob else None,
        "postcode": postcode or None,
        "sector": postcode_sector(postcode) or None,
        "district": postcode_district(postcode) or None,
        "sex": sex if sex in {"female", "male"} else None,
        "nhs": nhs or None,
        "nhs_mistyped": mistyped_nhs_number(row.get("nhs_number") or "") or None,
        "nhs_swaps": sorted(nhs_transpositions(nhs)) if nhs else [],
    }


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield prepare_row(row)


def _sql(dialect: str) -> dict[str, str]:
    if dialect == "spark":
        return {
            "contains": "array_contains({a}, {b})",
            "overlap": "arrays_overlap({a}, {b})",
            "jw": "jaro_winkler({a}, {b})",
            "edits": "damerau_levenshtein({a}, {b})",
            "levenshtein": "levenshtein({a}, {b})",
            "length": "char_length({a})",
            "has_all": "size(array_except({b}, {a})) = 0",
            "names": "concat(array(given_{x}), given_middle_{x})",
            "size": "size(array_distinct({a}))",
        }
    return {
        "contains": "list_contains({a}, {b})",
        "overlap": "list_has_any({a}, {b})",
        "jw": "jaro_winkler_similarity({a}, {b})",
        "edits": "damerau_levenshtein({a}, {b})",
        "levenshtein": "levenshtein({a}, {b})",
        "length": "length({a})",
        "has_all": "list_has_all({a}, {b})",
        "names": "list_prepend(given_{x}, given_middle_{x})",
        "size": "len(list_distinct({a}))",
    }


def _level(
    sql: str, label: str, params: Any = None, *, null: bool = False, tf: str | None = None, tf_minimum: float = 0.0
) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
        return level
    level["m_probability"] = params.m
    level["u_probability"] = params.u
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
        level["tf_minimum_u_value"] = tf_minimum
    return level


def splink_settings(model: Model, dialect: str = "duckdb") -> dict[str, Any]:
    """The model as a Splink settings dictionary (dedupe), parameters fixed from the model file."""
    f = _sql(dialect)
    lv = model.levels

    contains = f["contains"]

    def slipped(col: str) -> str:
        """scoring.is_misspelling: a keying slip, or one edit inside the name, one of the two a name the model
        knows; or scoring.is_misreading: a name it does not know is the other as a scan misreads it."""
        shortest = f"least({f['length'].format(a=f'{col}_l')}, {f['length'].format(a=f'{col}_r')})"
        edits = f["edits"].format(a=f"{col}_l", b=f"{col}_r")
        swapped = f"({edits} = 1 AND {f['levenshtein'].format(a=f'{col}_l', b=f'{col}_r')} = 2)"
        return (
            # scoring.is_keying_slip, unless both are names the model knows
            f"(NOT ({col}_known_l AND {col}_known_r) AND {col}_l <> {col}_r AND {shortest} >= {KEYING_SLIP_MIN_LENGTH}"
            f" AND ({col}_undoubled_l = {col}_undoubled_r OR {swapped}))"
            f" OR ({col}_known_l <> {col}_known_r AND left({col}_l, 1) = left({col}_r, 1)"
            f" AND right({col}_l, 1) = right({col}_r, 1) AND {f['edits'].format(a=f'{col}_l', b=f'{col}_r')} <= 1)"
            f" OR {col}_misread_l = {col}_r OR {col}_misread_r = {col}_l"
        )

    def name(field: str, col: str, alternative: str) -> dict[str, Any]:
        levels = [
            _level(f"{col}_l IS NULL OR {col}_r IS NULL", "null", null=True),
            _level(f"{col}_l = {col}_r", "exact", lv[field]["exact"], tf=col, tf_minimum=model.tf_minimum),
        ]
        names_l, names_r = f["names"].format(x="l"), f["names"].format(x="r")
        if field == "given_name" and "reordered" in lv[field]:
            # scoring._same_names: the same names, more than one, in another order.
            same = f"{f['has_all'].format(a=names_l, b=names_r)} AND {f['has_all'].format(a=names_r, b=names_l)}"
            levels.append(_level(f"{f['size'].format(a=names_l)} > 1 AND {same}", "reordered", lv[field]["reordered"]))
        alt_key = "alternative_form" if field == "given_name" else "part"
        levels.append(_level(alternative, alt_key, lv[field][alt_key]))
        if field == "given_name" and "middle_name" in lv[field]:
            # scoring.compare_given_name: one side's given name is among the other's middle names, and every name
            # of one side is among the other's (scoring._names_within).
            within = " OR ".join(f["has_all"].format(a=a, b=b) for a, b in ((names_l, names_r), (names_r, names_l)))
            middle = " OR ".join(
                contains.format(a=f"given_middle_{x}", b=f"given_{y}") for x, y in (("l", "r"), ("r", "l"))
            )
            middle = f"({middle}) AND ({within})"
            levels.append(_level(middle, "middle_name", lv[field]["middle_name"]))
        if field == "given_name" and model.has_misspelt_level:
            levels.append(_level(slipped(col), "misspelt", lv[field]["misspelt"]))
        similar = f"{f['jw'].format(a=col + '_l', b=col + '_r')} >= 0.9"
        if field == "family_name" and model.knows_family_names:
            similar = f"{similar} OR {slipped(col)}"  # scoring.compare_family_name
        levels += [
            _level(similar, "similar", lv[field]["similar"]),
            _level(f"{col}_key_l = {col}_key_r", "phonetic", lv[field]["phonetic"]),
            _level("ELSE", "else", lv[field]["else"]),
        ]
        return {"output_column_name": field, "comparison_levels": levels}

    contains, overlap = f["contains"], f["overlap"]
    # names.are_alternative_forms: either is a form of the other, or either's Welsh group meets the other's forms.
    given_alt = " OR ".join(
        [
            contains.format(a="given_forms_l", b="given_r"),
            contains.format(a="given_forms_r", b="given_l"),
            overlap.format(a="given_welsh_l", b="given_forms_r"),
            overlap.format(a="given_welsh_r", b="given_forms_l"),
        ]
    )
    family_alt = overlap.format(a="family_parts_l", b="family_parts_r")
    one_component = (
        "(CASE WHEN dob_y_l = dob_y_r THEN 1 ELSE 0 END + CASE WHEN dob_m_l = dob_m_r THEN 1 ELSE 0 END"
        " + CASE WHEN dob_d_l = dob_d_r THEN 1 ELSE 0 END) = 2"
    )
    # scoring.compare_nhs_number: a valid number one side, two neighbouring figures swapped, is the other's
    # mistyped number.
    transposed = " OR ".join(
        f"COALESCE({contains.format(a=f'nhs_swaps_{x}', b=f'nhs_mistyped_{y}')}, FALSE)"
        for x, y in (("l", "r"), ("r", "l"))
    )
    comparisons = [
        {
            "output_column_name": "nhs_number",
            "comparison_levels": [
                _level(f"(nhs_l IS NULL OR nhs_r IS NULL) AND NOT ({transposed})", "null", null=True),
                _level("nhs_l = nhs_r", "exact", lv["nhs_number"]["exact"]),
                _level(transposed, "transposed", lv["nhs_number"]["transposed"]),
                _level("ELSE", "different", lv["nhs_number"]["different"]),
            ],
        },
        name("given_name", "given", given_alt),
        name("family_name", "family", family_alt),
        {
            "output_column_name": "date_of_birth",
            "comparison_levels": [
                _level("dob_l IS NULL OR dob_r IS NULL", "null", null=True),
                _level("dob_l = dob_r", "exact", lv["date_of_birth"]["exact"]),
                _level("dob_swap_l = dob_r", "day_month_swap", lv["date_of_birth"]["day_month_swap"]),
                _level(f"{one_component} AND dob_y_l = dob_y_r", "one_component", lv["date_of_birth"]["one_component"]),
                _level(one_component, "year", lv["date_of_birth"]["year"]),
                _level("ELSE", "else", lv["date_of_birth"]["else"]),
            ],
        },
        {
            "output_column_name": "postcode",
            "comparison_levels": [
                _level("postcode_l IS NULL OR postcode_r IS NULL", "null", null=True),
                _level("postcode_l = postcode_r", "exact", lv["postcode"]["exact"]),
                _level("sector_l = sector_r", "sector", lv["postcode"]["sector"]),
                _level("district_l = district_r", "district", lv["postcode"]["district"]),
                _level("ELSE", "else", lv["postcode"]["else"]),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_levels": [
                _level("sex_l IS NULL OR sex_r IS NULL", "null", null=True),
                _level("sex_l = sex_r", "same", lv["sex"]["same"]),
                _level("ELSE", "different", lv["sex"]["different"]),
            ],
        },
    ]
    prior = float(model.raw["probability_two_random_records_match"])
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": BLOCKING_RULES,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
    }


# The incremental matcher's blocking keys (`cylch.linkage.matching`), as Splink blocking rules.
BLOCKING_RULES = [
    "l.nhs = r.nhs",
    "l.given_key = r.given_key AND l.family_key = r.family_key",
    "l.postcode = r.postcode AND l.given_key = r.given_key",
    "l.postcode = r.postcode AND l.family_key = r.family_key",
    "l.dob = r.dob AND l.family_key = r.family_key",
    "l.dob = r.dob AND l.given_key = r.given_key",
    "l.postcode = r.postcode AND l.dob = r.dob",
    "l.dob_swap = r.dob AND l.family_key = r.family_key",
    "l.dob_swap = r.dob AND l.given_key = r.given_key",
    "l.dob_swap = r.dob AND l.postcode = r.postcode",
]


@dataclass(frozen=True)
class BatchResult:
    records: int
    clusters: int
    pairs: list[tuple[str, str, float]]  # pairs linked: a cluster joins records through them, never contradicting
    reviews: list[tuple[str, str, float]]  # pairs a person should compare (incl. links a contradiction held back)
    review_evidence: dict[tuple[str, str], tuple[dict[str, str | None], str]]  # each review's levels and rule
    clusters_by_record: dict[str, str]


SPARK_PARTITIONS = 4


def _schema() -> Any:
    """The prepared rows' columns, typed (an all-empty list column must still be a list of strings)."""
    import pyarrow as pa

    text, texts, number = pa.string(), pa.list_(pa.string()), pa.int32()
    return pa.schema(
        [
            ("unique_id", text), ("given", text), ("given_forms", texts), ("given_welsh", texts), ("given_key", text),
            ("given_middle", texts), ("given_undoubled", text),
            ("family", text), ("family_undoubled", text),
            ("family_parts", texts), ("family_key", text), ("dob", text), ("dob_swap", text), ("dob_y", number),
            ("dob_m", number), ("dob_d", number), ("postcode", text), ("sector", text), ("district", text),
            ("sex", text), ("nhs", text), ("nhs_mistyped", text), ("nhs_swaps", texts),
        ]
    )  # fmt: skip


def spark_available() -> str:
    """Why `--engine spark` cannot run here ('' when it can): pyspark is the `spark` extra; Spark 4 needs Java 17+."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]')"
    java_home = os.environ.get("JAVA_HOME", "")
    if not (java_home and Path(java_home, "bin", "java").exists()) and shutil.which("java") is None:
        return "no Java runtime (Debian: apt-get install openjdk-17-jre-headless)"
    return ""


SPARK_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


@contextmanager
def _spark_session(workdir: Path) -> Iterator[Any]:
    """Spark in local mode on 127.0.0.1, with Splink's similarity UDFs (jaro_winkler) from the jar in its wheel.

    `CYLCH_SPARK_MASTER` points it at a cluster instead; `CYLCH_SPARK_DRIVER_MEMORY` and
    `CYLCH_SPARK_PARTITIONS` size it.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # not "Closing down clientserver connection" at exit
    log4j = workdir / "log4j2.properties"
    log4j.write_text(SPARK_LOG4J, encoding="utf-8")
    partitions = os.environ.get("CYLCH_SPARK_PARTITIONS", str(SPARK_PARTITIONS))
    java_options = f"-Dlog4j.configurationFile=file:{log4j} -Dderby.system.home={workdir / 'derby'}"
    spark = (
        SparkSession.builder.master(os.environ.get("CYLCH_SPARK_MASTER", "local[*]"))
        .appName("cylch-link")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", os.environ.get("CYLCH_SPARK_DRIVER_MEMORY", "4g"))
        .config("spark.driver.extraJavaOptions", java_options)
        .config("spark.sql.shuffle.partitions", partitions)
        .config("spark.default.parallelism", partitions)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(workdir / "warehouse"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(workdir / "checkpoints"))
    try:
        yield spark
    finally:
        spark.stop()


@contextmanager
def _db_api(engine: str) -> Iterator[tuple[Any, Path]]:
    """Splink's database API for `engine`, and a scratch directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="cylch-link-") as tmp:
        workdir = Path(tmp)
        if engine == "spark":
            from splink.backends.spark import SparkAPI

            with _spark_session(workdir) as spark:
                # On one machine, caching each intermediate table in memory is quicker than Splink's default of
                # writing it to parquet; on a cluster, parquet under the checkpoint directory is the safer choice.
                local = str(spark.sparkContext.master).startswith("local")
                lineage = os.environ.get("CYLCH_SPARK_LINEAGE") or ("persist" if local else "parquet")
                yield SparkAPI(spark_session=spark, break_lineage_method=lineage), workdir  # type: ignore[no-untyped-call]
            return
        from splink import DuckDBAPI

        yield DuckDBAPI(), workdir


def _register(db_api: Any, engine: str, table: Any, name: str, workdir: Path) -> Any:
    if engine == "spark":
        import pyarrow.parquet as pq

        # Through parquet rather than the driver's memory: no pandas needed, and Spark reads it in parallel.
        path = workdir / f"{name}.parquet"
        pq.write_table(table, path)
        return db_api.register(db_api.spark.read.parquet(str(path)), table_name=name)
    return db_api.register(table, table_name=name)


def _register_term_frequencies(linker: Any, db_api: Any, engine: str, model: Model, workdir: Path) -> None:
    """The model's name frequencies, not the input file's: a small file must not make 'Jones' rare."""
    import pyarrow as pa

    for column, field_name in (("given", "given_name"), ("family", "family_name")):
        frequencies = model.term_frequencies.get(field_name, {})
        table = pa.table(
            {column: list(frequencies), f"tf_{column}": list(frequencies.values())},
            schema=pa.schema([(column, pa.string()), (f"tf_{column}", pa.float64())]),
        )
        lookup = _register(db_api, engine, table, f"cylch_tf_{column}", workdir)
        linker.table_management.register_term_frequency_lookup(lookup, column)


def _gamma_levels(settings: dict[str, Any]) -> dict[str, dict[int, str | None]]:
    """Splink's gamma value -> our level name, per field (-1 is the null level; the rest count down)."""
    levels: dict[str, dict[int, str | None]] = {}
    for comparison in settings["comparisons"]:
        named = [lv["label_for_charts"] for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        levels[comparison["output_column_name"]] = {-1: None} | {len(named) - 1 - i: n for i, n in enumerate(named)}
    return levels


@contextmanager
def splink_linker(
    rows: list[dict[str, Any]], *, model: Model, engine: str = "duckdb"
) -> Iterator[tuple[Any, Any, Any]]:
    """A Splink linker over prepared rows with the model's settings and name frequencies: (linker, db_api, records)."""
    import pyarrow as pa
    from splink import Linker

    if engine not in ENGINES:
        raise ValueError(f"Unknown engine {engine!r}: use one of {', '.join(ENGINES)}.")
    with _db_api(engine) as (db_api, workdir):
        # Whether each name is one the model knows depends on the model, so it is added here, not in prepare_row.
        table = pa.Table.from_pylist(rows, schema=_schema())
        for column, knows in (("given", model.knows_given_name), ("family", model.knows_family_name)):
            known = [bool(r[column]) and knows(r[column]) for r in rows]
            misread = [
                reading if r[column] and not k and (reading := ocr_reading(r[column])) != r[column] else None
                for r, k in zip(rows, known, strict=True)
            ]
            table = table.append_column(f"{column}_known", pa.array(known, pa.bool_()))
            table = table.append_column(f"{column}_misread", pa.array(misread, pa.string()))
        records = _register(db_api, engine, table, "cylch_records", workdir)
        linker = Linker(records, splink_settings(model, engine), log_level=40)
        _register_term_frequencies(linker, db_api, engine, model, workdir)
        yield linker, db_api, records


Pair = tuple[str, str]


def row_record(row: dict[str, Any]) -> MatchRecord:
    """A prepared row as the Python scorer sees it."""
    return match_record(
        given_names=[row["given"] or ""],
        middle_names=row["given_middle"],
        family_names=[row["family"] or ""],
        dates_of_birth=[_date(row["dob"] or "")],
        sexes=[row["sex"] or ""],
        nhs_numbers=[row["nhs"] or "", row["nhs_mistyped"] or ""],
        postcodes=[row["postcode"] or ""],
    )


class _DirectComparison:
    """Pairs the blocking did not score, compared in Python with the same model (`cylch.linkage.scoring`)."""

    def __init__(self, rows: list[dict[str, Any]], model: Model) -> None:
        self.model = model
        self.rows = {r["unique_id"]: r for r in rows}
        self.cache: dict[Pair, tuple[Decision, float, dict[str, str | None]]] = {}

    def decided(self, a: str, b: str) -> tuple[Decision, float, dict[str, str | None]]:
        if (a, b) not in self.cache:
            match = score(row_record(self.rows[a]), row_record(self.rows[b]), self.model)
            self.cache[(a, b)] = (link_decision(match, self.model), match.probability, match.levels)
        return self.cache[(a, b)]


def comparison_patterns(
    rows: list[dict[str, Any]], *, model: Model, engine: str = "duckdb"
) -> Counter[tuple[str | None, ...]]:
    """How many blocked pairs fall in each combination of field levels (in `FIELDS` order): what EM estimates from."""
    gammas = _gamma_levels(splink_settings(model, engine))
    with splink_linker(rows, model=model, engine=engine) as (linker, db_api, _records):
        predictions = linker.inference.predict()
        columns = ", ".join(f"gamma_{name}" for name in FIELDS)
        counted = _query(
            db_api,
            engine,
            f"SELECT {columns}, COUNT(*) FROM {predictions.physical_name} GROUP BY {columns}",  # noqa: S608
        )
    return Counter(
        {tuple(gammas[name][int(g)] for name, g in zip(FIELDS, row[:-1], strict=True)): int(row[-1]) for row in counted}
    )


def adapted_model(rows: list[dict[str, Any]], prior: Model, *, engine: str = "duckdb", seed: int = 1) -> Model:
    """`prior` with u, name frequencies and m re-estimated from these prepared rows (`cylch.linkage.estimation`)."""
    patterns = comparison_patterns(rows, model=prior, engine=engine)
    records = [row_record(row) for row in rows]
    parameters = adapted_parameters(patterns=patterns, records=records, prior=prior, seed=seed)
    return model_from_dict(parameters | {"version": f"{prior.version}+adapted"})


def link_rows(
    rows: list[dict[str, Any]],
    *,
    engine: str = "duckdb",
    model: Model | None = None,
    threshold: float | None = None,
) -> BatchResult:
    """Deduplicate prepared rows: each blocked pair decided as incremental linkage would, linked pairs clustered.

    `threshold` replaces the model's link threshold (the benchmark's sweep); reviews stay at the model's.
    """
    model = model or load_model()
    if threshold is not None:
        model = replace(model, link_threshold=threshold)
    gammas = _gamma_levels(splink_settings(model, engine))
    with splink_linker(rows, model=model, engine=engine) as (linker, db_api, records):
        predictions = linker.inference.predict(
            threshold_match_probability=min(model.link_threshold, model.review_threshold)
        )
        columns = ", ".join(f"gamma_{name}" for name in gammas)
        # Table names are Splink's own; nothing here comes from input data.
        scored = _query(
            db_api,
            engine,
            f"SELECT unique_id_l, unique_id_r, match_probability, {columns} FROM {predictions.physical_name}",  # noqa: S608
        )
        # A shared NHS number links whatever the score: those pairs below the review threshold too.
        shared_nhs = _query(
            db_api,
            engine,
            f"SELECT l.unique_id, r.unique_id FROM {records.physical_name} l JOIN {records.physical_name} r"  # noqa: S608
            " ON l.nhs = r.nhs AND l.unique_id < r.unique_id",
        )
    decided: dict[Pair, tuple[Decision, float, dict[str, str | None]]] = {}
    for a, b, probability, *gamma in scored:
        levels = {name: gammas[name][int(g)] for name, g in zip(gammas, gamma, strict=True)}
        decision = decide(probability=float(probability), levels=levels, model=model)
        decided[_pair(str(a), str(b))] = (decision, float(probability), levels)
    compared = _DirectComparison(rows, model)
    for a, b in shared_nhs:  # scored below the review threshold, yet an agreeing NHS number may still link
        key = _pair(str(a), str(b))
        if key not in decided:
            decided[key] = compared.decided(*key)
    links = [(a, b, p) for (a, b), (d, p, _) in decided.items() if d == Decision.LINK]

    def verdict(a: str, b: str) -> tuple[Decision, dict[str, str | None]]:
        decision, _probability, levels = decided.get(_pair(a, b)) or compared.decided(*_pair(a, b))
        return decision, levels

    undated = {r["unique_id"] for r in rows if not r["dob"] and not r["nhs"]}
    clustering = constrained_clusters((r["unique_id"] for r in rows), links, verdict, order=_sort_key, undated=undated)
    held_back = {_pair(a, b) for a, b, _ in clustering.held_back}
    between = clustering.between_namesakes
    pairs = sorted((a, b, p) for a, b, p in links if (a, b) not in held_back)
    reviews = sorted((a, b, p) for (a, b), (d, p, _) in decided.items() if d == Decision.REVIEW or (a, b) in held_back)
    review_evidence = {
        (a, b): (levels, held_guard if (a, b) in held_back else pair_guard(levels))
        for a, b, _ in reviews
        for levels in [decided[(a, b)][2]]
        for held_guard in [NAMESAKES_AROUND if between & {a, b} else CONTRADICTS_A_RECORD]
    }
    clusters = clustering.clusters_by_record
    return BatchResult(
        records=len(rows),
        clusters=len(set(clusters.values())),
        pairs=pairs,
        reviews=reviews,
        review_evidence=review_evidence,
        clusters_by_record=clusters,
    )


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if _sort_key(a) <= _sort_key(b) else (b, a)


def _query(db_api: Any, engine: str, sql: str) -> list[tuple[Any, ...]]:
    if engine == "spark":
        return [tuple(r) for r in db_api.spark.sql(sql).collect()]
    return [tuple(r) for r in db_api._con.execute(sql).fetchall()]


def _sort_key(value: str) -> tuple[int, str]:
    return (0, f"{int(value):020d}") if value.isdigit() else (1, value)


def link_file(
    input_path: Path,
    output_path: Path,
    *,
    engine: str = "duckdb",
    reviews_path: Path | None = None,
    adapt: bool = False,
) -> BatchResult:
    """Write record_id,cluster_id to `output_path`; and, if asked, the pairs to review with why, in words.

    `adapt`: link with the current model's parameters re-estimated from this file (`cylch.linkage.estimation`)."""
    rows = list(read_rows(input_path))
    model = load_model()
    if adapt:
        model = adapted_model(rows, model, engine=engine)
    result = link_rows(rows, engine=engine, model=model)
    with output_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("record_id", "cluster_id"))
        for record_id in sorted(result.clusters_by_record, key=_sort_key):
            writer.writerow((record_id, result.clusters_by_record[record_id]))
    if reviews_path is not None:
        with reviews_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("record_id", "possible_match", "probability", "why"))
            for a, b, probability in result.reviews:
                levels, guard = result.review_evidence[(a, b)]
                evidence = [{"field": field, "level": level} for field, level in levels.items()]
                writer.writerow((a, b, f"{probability:.4f}", str(review_reasons(evidence, guard))))
    return result
