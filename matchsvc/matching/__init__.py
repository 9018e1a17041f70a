"""The matcher: recommendations, candidates and placement plans under the notice's priority rules.

Plain Python and numpy, no Flask: views, jobs, the CLI and the benchmark call the same code.
`policy` holds the weights and the rules' settings, `lexicon` the skills vocabulary, `profiles` the
inputs, `score` the vectorised fit, `rules` the priority rules and explanations, `engine` the
ranking, `placement` the deferred-acceptance plan and `loader`/`service` the database side.
"""
