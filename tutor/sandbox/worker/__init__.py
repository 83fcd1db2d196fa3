"""The warm worker: a `python -I` process with NumPy loaded that forks one child per check.

Started by the tutor's side (`tutor.sandbox.host`) as a standalone copy of
this package (``nntutor_sandbox``), with the harness drivers loaded by path:
it never imports ``tutor`` or ``engine``, so its children cannot reach them.
`serve` is its loop (spares, requests, replies); `supervise` watches one child.
Imports are relative: this code must never import the tutor.
"""
