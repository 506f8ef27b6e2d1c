"""``python -m fake_dinero``: the same as the ``fake-dinero`` command."""

from .cli import main

raise SystemExit(main())
