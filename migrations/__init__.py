"""The Alembic migrations; installed as `matchsvc.migrations` and found through the package by
`matchsvc.paths`. Alembic loads `env.py` and `versions/` itself: nothing imports them."""
