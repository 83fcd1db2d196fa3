"""Running learner code away from the tutor, laid out by the process each part runs in.

* The tutor's side: `api` (the contract the checker uses, and the shared
  runner), `host` (starts and talks to the warm worker, restarts it),
  `results` (what a run's facts mean, in words), `doctor`.
* `worker/`: the warm worker, which forks one confined child per check.
* `child/`: the child, which confines itself and runs the learner's code.
* `protocol`: everything that crosses the pipes between them.

The worker and the child load this package standalone, as ``nntutor_sandbox``
(see `host.BOOTSTRAP`), so `protocol`, `worker/` and `child/` import only the
standard library, NumPy and each other (relatively); this file imports nothing.
"""
