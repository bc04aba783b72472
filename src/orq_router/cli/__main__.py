"""`python -m orq_router.cli`: the same as the `orq-router` command."""

from orq_router.cli import main

raise SystemExit(main())
