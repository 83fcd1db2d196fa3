"""`nntutor serve`: the tutor in a browser tab for a class, one tutor process per learner.

`layout` (where each learner's data lives) and `identity` (who a request is)
are headless and import nothing outside the standard library; `server` is the
web part on textual-serve (the optional extra `web`), `command` the CLI and
`session` the per-connection entry point that starts one learner's tutor.
"""
