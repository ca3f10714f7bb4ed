"""Queries that a page makes at every request, compiled by the ORM once and sent with new values.

Django builds and compiles a query afresh each time it runs one. For a query as small as a page's
own row, that cost more than the database took to answer it: 0.3 ms of compiling for a lookup by
a unique slug that SQLite runs in 0.02 ms. A CompiledQuery is built once per database connection
from a queryset written with stand-ins where each call's values go; each call sends the SQL with
its own values in their place, and gets the rows back converted as the ORM converts them.

A stand-in must reach the SQL as a parameter of its own, unchanged: a value no row holds, of the
field's type (an integer within a 32-bit field's range, or a string), compared by equality.
"""

import weakref

from django.db import DEFAULT_DB_ALIAS, connections


class CompiledQuery:
    def __init__(self, build, **stand_ins):
        """build(**stand_ins) gives the queryset, of values_list() or values(); stand_ins name
        the values each call gives."""
        self.build = build
        self.stand_ins = stand_ins
        # A compiler converts through its connection's operations: one per connection, which
        # Django keeps per thread.
        self._compiled = weakref.WeakKeyDictionary()

    def rows(self, using=DEFAULT_DB_ALIAS, **values):
        """The query's rows for these values, as lists, their values converted by the ORM."""
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        sql, params, compiler, converters = compiled
        swapped = {self.stand_ins[name]: value for name, value in values.items()}
        params = [swapped.get(param, param) for param in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [list(row) for row in rows]
        return list(compiler.apply_converters(rows, converters))

    def clear(self):
        """Compile again at the next call: the query's shape has changed."""
        self._compiled.clear()

    def _compile(self, connection):
        compiler = self.build(**self.stand_ins).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        missing = set(self.stand_ins.values()) - set(params)
        if missing:
            raise ValueError(f"stand-ins not found as parameters of the SQL: {sorted(missing)}")
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return sql, list(params), compiler, converters
