"""What the importer makes of the real files: a dump to compare before and after a change
that must not change results (a speed-up of issue 19 item 10).

    .venv/bin/python bench/import_results.py OUT.jsonl [--database URL] [--tmpdir DIR]

A fresh instance (SQLite in a temporary directory; with --database, the PostgreSQL database
the URL names, its public schema dropped and rebuilt by bench/load.py's reset, which refuses
a schema holding officials it did not put there), migrated, with the demo data. Then, in one
process, the imports of ``SEQUENCE``: the EU 269/2014 file, the generated 400-row Belarus
regime file (``regime_file``), the OFAC file, the OpenSanctions FtM cluster, and the EU file
again (repeatable: nothing changes). OUT gets the outcome of each import, then one line per
row of every table an import writes to or reads, in id order, without what differs between
two runs of the same code (times, also inside JSON values; the audit chain's hashes; the
order of the audit events, compared as a set); the last line is the SHA-256 of the rest.
Two runs of the same code give the same dump, on either engine; ``diff`` two dumps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
EU_FILE = REAL_DATA / "eu_oj_32014R0269_russia_ukraine.csv"
OFAC_FILE = REAL_DATA / "us_ofac_sdn_2024-05-03.csv"
FTM_FILE = REAL_DATA / "opensanctions_zala_cluster.ftm.jsonl"
REGIME_ROWS = 400
REGIME_SEED = 19
SEQUENCE = (("eu-csv", "eu"), ("eu-csv", "regime"), ("ofac-csv", "ofac"), ("ftm", "ftm"), ("eu-csv", "eu"))
# Tables an import writes to (or that the demo data fills and an import reads), in dump order
TABLES = (
    "state", "institution", "position", "official", "official_name", "external_identifier", "tenure",
    "decision", "involvement", "evidence", "exhibit_number", "support", "import_rule", "import_record",
    "import_run", "match_review", "dossier_summary", "audit_event",
)  # fmt: skip
# Columns that differ between two runs of the same code: times, the audit chain's hashes
VOLATILE = {"occurred_at", "prev_hash", "event_hash", "computed_at", "issued_at"}
# Tables compared as sets of rows, without their ids: the audit events of the updates one flush
# records come in the order of the session's set of changed objects, which differs from run to run
UNORDERED = {"audit_event"}


# --- the generated regime file -------------------------------------------------------------

REGIME_COLUMNS = (
    "celex", "recordId", "programKey", "annex", "measure", "startDate", "reason", "schema", "name", "alias",
    "nationality", "birthDate", "birthPlace", "position", "gender",
)  # fmt: skip
REGIME_POSTS = (
    ("Deputy Minister of Internal Affairs", "responsible for the repression of civil society"),
    ("Judge of the Minsk City Court", "who handed down politically motivated sentences"),
    ("Member of the Central Election Commission", "responsible for the falsified presidential election"),
    ("Head of the Main Directorate for Combating Organised Crime", "responsible for the crackdown on protesters"),
    ("Chairman of the State Border Committee", "who supported the instrumentalisation of migrants"),
    ("Deputy Minister of Defence", "who supported Russia's war of aggression against Ukraine"),
    ("Member of the House of Representatives", "who voted for the laws restricting fundamental freedoms"),
    ("Head of the district executive committee", "who took part in the forced transfer of Ukrainian children"),
)
REGIME_NATIONALITIES = ("", "", "", "Belarus", "Belarus", "Belarusian", "Russian, Belarusian", "Russia", "Serbia")


def regime_file(rows: int = REGIME_ROWS, seed: int = REGIME_SEED) -> bytes:
    """An EU-format list of the Belarus regime (Regulation 765/2006) the way the real regime
    lists are made: entry numbers that restart in a second annex, many persons without a
    nationality (the regime says it), dual nationals and a few nationals of other States,
    Cyrillic name forms beside the Latin one, and some entities; the same bytes for the same
    arguments."""
    import csv

    if str(ROOT) not in sys.path:  # run from bench/, as a script or by bench/imports.py
        sys.path.insert(0, str(ROOT))
    try:
        from seeds.synth.names import official_name
    except ImportError:  # a checkout from before seeds/
        from services.synth_names import official_name  # type: ignore[no-redef]

    rng = random.Random(seed)  # noqa: S311 -- the same file every time, no secret
    out = io.StringIO()
    writer = csv.DictWriter(out, REGIME_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for number in range(1, rows + 1):
        annex, entry = ("I", number) if number <= rows * 3 // 4 else ("II", number - rows * 3 // 4)
        row = {
            "celex": "32006R0765",
            "recordId": str(entry),
            "programKey": "EU-BLR",
            "annex": annex,
            "measure": "Asset freeze; Travel ban",
            "startDate": f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.{rng.randint(2011, 2025)}",
        }
        if rng.random() < 0.08:
            company = f"OAO {rng.choice(('Belaruskali', 'Grodno Azot', 'Naftan', 'MAZ', 'Belshina'))} {number}"
            writer.writerow({**row, "schema": "LegalEntity", "name": company, "reason": "State-owned enterprise."})
            continue
        state = "KP" if rng.random() < 0.02 else "BY"
        person = official_name(rng, state)
        post, why = rng.choice(REGIME_POSTS)
        born = dt.date(rng.randint(1950, 1990), rng.randint(1, 12), rng.randint(1, 28))
        writer.writerow(
            {
                **row,
                "schema": "Person",
                "name": person.name,
                "alias": "; ".join([person.native_name, *(a[0] for a in person.aliases)]),
                "nationality": rng.choice(REGIME_NATIONALITIES),
                "birthDate": f"{born.day}.{born.month}.{born.year}" if rng.random() < 0.9 else str(born.year),
                "birthPlace": rng.choice(("Minsk", "Gomel", "Mogilev", "Vitebsk", "Brest", "Grodno", "")),
                "position": post if rng.random() < 0.8 else "",
                "reason": f"{post} {why}.",
                "gender": person.gender,
            }
        )
    return out.getvalue().encode("utf-8")


def data_file(which: str) -> bytes:
    if which == "regime":
        return regime_file()
    return {"eu": EU_FILE, "ofac": OFAC_FILE, "ftm": FTM_FILE}[which].read_bytes()


# --- the dump ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as the dump shows it: times inside JSON values (an audit event's record) aside."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not (k.endswith("_at") or k in VOLATILE)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump_rows(session: Any) -> list[str]:
    """Every row of ``TABLES`` as a JSON line, volatile columns aside, in id order."""
    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(bind=session.connection(), only=list(TABLES))
    lines = []
    for name in TABLES:
        table = metadata.tables[name]
        columns = [
            c for c in table.columns
            if c.name not in VOLATILE and not c.name.endswith("_at") and not (name in UNORDERED and c.name == "id")
        ]  # fmt: skip
        order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
        rows = [
            json.dumps([name, _plain(dict(zip([c.name for c in columns], row, strict=True)))], sort_keys=True,
                       ensure_ascii=False, default=str)
            for row in session.execute(select(*columns).order_by(*order))
        ]  # fmt: skip
        lines += sorted(rows) if name in UNORDERED else rows
    return lines


def run_sequence(out: Path) -> str:
    """Import ``SEQUENCE`` in this process (the instance's settings in the environment) and
    write the dump; its digest."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from extensions import db
    from services.audit import trail as audit
    from services.imports.runs import run_import

    app = create_app()
    lines = []
    with app.app_context(), audit.acting_as(None, "bench: import results"):
        for fmt, which in SEQUENCE:
            report = run_import(db.session, fmt, io.BytesIO(data_file(which)), user=None, file_name=which)  # type: ignore[arg-type]
            db.session.commit()
            outcome = {"status": report.status, "counts": dict(sorted(report.counts.items()))}
            lines.append(json.dumps(["import", which, outcome], sort_keys=True))
            print(f"{which}: {outcome}", file=sys.stderr)
        lines += dump_rows(db.session)
        db.session.rollback()
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    out.write_text("\n".join([*lines, digest]) + "\n", encoding="utf-8")
    return digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="where to write the dump")
    parser.add_argument("--database", help="a PostgreSQL database URL this script may empty (default: SQLite)")
    parser.add_argument("--tmpdir", help="where to put the temporary instance (default: the system's)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        print(run_sequence(Path(args.out)))
        return 0
    from load import LoadInstance  # bench/load.py: an instance on any database, its safe reset
    from upload import BenchError

    try:
        with tempfile.TemporaryDirectory(prefix="tribunal-results-", dir=args.tmpdir) as work:
            instance = LoadInstance(Path(work), url=args.database or "")
            instance.evidence_dir.mkdir()
            if args.database:
                instance.inside("reset-postgresql")  # refuses a schema with officials it did not put there
            instance.flask("db", "upgrade")
            instance.flask("demo", "load")
            out = instance.run(sys.executable, str(Path(__file__).resolve()), "--inside", str(Path(args.out).resolve()))
            print(out.strip())
    except BenchError as exc:
        print(f"failed: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
