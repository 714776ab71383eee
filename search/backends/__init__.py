"""Search backends: one class per kind of database, all with the interface of
:class:`~search.backends.base.SearchBackend`. ``portable`` is the ORM alone (SQLite,
and the reference answer); ``postgres`` has hand-written statements in ``sql/``."""
