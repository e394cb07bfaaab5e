"""Database triggers that keep case records and logs from being destroyed.

- Append-only tables (custody and audit logs, and the rows of evidence files, whose bytes
  never change) refuse UPDATE and DELETE.
- Soft-deleted tables (officials, decisions, evidence) refuse DELETE: they are only marked.

The same statements serve ``metadata.create_all`` (through DDL events) and the migrations,
so a database built either way refuses the same things. A refusal is an integrity error on
both engines (SQLite RAISE(ABORT), PostgreSQL SQLSTATE 23000).
"""

from __future__ import annotations

from sqlalchemy import DDL, MetaData, Table, event

APPEND_ONLY_TABLES = (
    "custody_event",
    "audit_event",
    "evidence_file",
    "dossier_status_change",
    "export",
    "mode_choice",
    "charged_mode",
)
NO_DELETE_TABLES = ("official", "decision", "evidence")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION tribunal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$
"""
_PG_DROP_FUNCTION = "DROP FUNCTION IF EXISTS tribunal_refuse_change()"


def _operations(table: str) -> tuple[str, ...]:
    return ("UPDATE", "DELETE") if table in APPEND_ONLY_TABLES else ("DELETE",)


def _reason(table: str) -> str:
    return "rows are append-only" if table in APPEND_ONLY_TABLES else "records are soft-deleted, never removed"


def _name(table: str, operation: str) -> str:
    return f"trg_{table}_refuse_{operation.lower()}"


def create_statements(table: str, dialect: str) -> list[str]:
    """SQL creating the triggers that protect ``table`` on ``dialect`` (sqlite or postgresql)."""
    statements = []
    for operation in _operations(table):
        name, reason = _name(table, operation), _reason(table)
        if dialect == "sqlite":
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{operation} on {table} refused: {reason}'); END"
            )
        elif dialect == "postgresql":
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION tribunal_refuse_change('{reason}')"
            )
    if dialect == "postgresql" and table in APPEND_ONLY_TABLES:
        statements.append(
            f"CREATE TRIGGER {_name(table, 'truncate')} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION tribunal_refuse_change('{_reason(table)}')"
        )
    return statements


def drop_statements(table: str, dialect: str) -> list[str]:
    operations = list(_operations(table))
    if dialect == "postgresql" and table in APPEND_ONLY_TABLES:
        operations.append("TRUNCATE")
    suffix = f" ON {table}" if dialect == "postgresql" else ""
    return [f"DROP TRIGGER IF EXISTS {_name(table, op)}{suffix}" for op in operations]


def recreate_statements(tables: tuple[str, ...], dialect: str) -> list[str]:
    """Drop and create the triggers of ``tables``: for migrations whose batch operations
    rebuild a table on SQLite, which silently discards the table's triggers."""
    statements: list[str] = []
    for table in tables:
        statements += drop_statements(table, dialect) + create_statements(table, dialect)
    return statements


def trigger_names(dialect: str, tables: tuple[str, ...] = APPEND_ONLY_TABLES + NO_DELETE_TABLES) -> set[str]:
    """Names of every trigger the schema should carry on ``dialect`` (for ``tables``)."""
    names = set()
    for table in tables:
        for sql in create_statements(table, dialect):
            names.add(sql.split()[2])
    return names


def function_statements(dialect: str) -> list[str]:
    return [_PG_FUNCTION] if dialect == "postgresql" else []


def drop_function_statements(dialect: str) -> list[str]:
    return [_PG_DROP_FUNCTION] if dialect == "postgresql" else []


def install(metadata: MetaData) -> None:
    """Attach the triggers to ``metadata`` so ``create_all`` creates them too."""
    for dialect in ("sqlite", "postgresql"):
        for sql in function_statements(dialect):
            event.listen(metadata, "before_create", DDL(sql).execute_if(dialect=dialect))
    for table_name in APPEND_ONLY_TABLES + NO_DELETE_TABLES:
        table: Table = metadata.tables[table_name]
        for dialect in ("sqlite", "postgresql"):
            for sql in create_statements(table_name, dialect):
                event.listen(table, "after_create", DDL(sql).execute_if(dialect=dialect))
