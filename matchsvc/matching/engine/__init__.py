"""The matcher's engine: plain Python and numpy over profiles, no Flask and no database.

- `policy`: every weight and level of the fit, and the deployment's settings.
- `profiles`: what the engine knows of a graduate, a position, a course.
- `score`: the fit of many graduate–position pairs at once (the one definition of fit).
- `index`: the open positions as arrays and inverted lists by major tier and province.
- `search`: a graduate's exact top N without scoring every position (the compiled kernel, or
  `numpy_search`, the reference and fallback); `ranking`: a list in rank order with its rules.
- `results`: recommendations and candidates with their components, rules and reasons.
- `offers`: training courses and entrepreneurship help.
- `placement`: deferred acceptance within headcounts.
- `recompute`: every graduate's top N at once.
"""
