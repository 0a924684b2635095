"""Indexes built and dropped on a big table without locking its writes (CREATE / DROP INDEX CONCURRENTLY), for
migrations: `migrations.RunPython(create(table, indexes), drop(indexes))` with `atomic = False`, beside a
`SeparateDatabaseAndState` that records the index in the model's state. Inside a transaction (the tests that
migrate back and forth inside their own) PostgreSQL refuses CONCURRENTLY, and the plain statement runs instead.
Django's AddIndexConcurrently refuses to run there at all."""


def _concurrently(schema_editor) -> str:
    return "" if schema_editor.connection.in_atomic_block else " CONCURRENTLY"


def create(table: str, indexes: dict[str, str]):
    """A RunPython function creating each `name: "column, column"` index of `table` (if missing)."""
    def run(apps, schema_editor):
        for name, columns in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX{_concurrently(schema_editor)} IF NOT EXISTS {name} ON {table} ({columns})")
    return run


def drop(indexes):
    """A RunPython function dropping the indexes named (if present)."""
    def run(apps, schema_editor):
        for name in indexes:
            schema_editor.execute(f"DROP INDEX{_concurrently(schema_editor)} IF EXISTS {name}")
    return run
