"""Plain inserts and updates of many rows (site imports of tens of thousands of items).

Django's ``bulk_create`` builds one multi-row statement a batch, and compiles every
value of every row into it on the way: for the 20,000-post import's 85,000 redirects
and 160,000 related-list places that compiling took most of the time. Here one
statement is prepared and the database driver runs it for each row (``executemany``),
the values prepared by each field as a save would (``get_db_prep_save``), the fields not
given taking their defaults. No ``save()``, no signals and no ids back: for rows whose
ids nobody needs next, and whose models' handlers the caller stands in for.
"""

from django.db import connections, router


def insert_rows(model, names, rows):
    """Insert ``rows`` (tuples of values, one for each field of ``names``, in that
    order) into ``model``'s own table; the other fields take their defaults, an
    automatic primary key its next value. Returns how many rows were given."""
    database = router.db_for_write(model)
    connection = connections[database]
    meta = model._meta
    given = [meta.get_field(name) for name in names]
    rest = [
        field
        for field in meta.local_concrete_fields
        if field not in given
        and not (field.primary_key and field.auto_created)
        and not getattr(field, "db_returning", False)
    ]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in rest)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    marks = ", ".join(["%s"] * (len(given) + len(rest)))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
    count = 0
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(
                tuple(
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(given, row, strict=True)
                )
                + defaults
            )
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def update_rows(model, key, names, rows):
    """Set the fields ``names`` of the rows of ``model``'s own table whose ``key``
    field has the given value: ``rows`` are tuples (key value, then a value for each
    of ``names``). Returns how many were given."""
    database = router.db_for_write(model)
    connection = connections[database]
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    where = meta.get_field(key)
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in fields)
        + f" WHERE {quote(where.column)} = %s"
    )
    values = [
        tuple(
            field.get_db_prep_save(v, connection) for field, v in zip(fields, row[1:], strict=True)
        )
        + (where.get_db_prep_save(row[0], connection),)
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)
