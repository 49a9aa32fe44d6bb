"""``python -m srgan`` — the same as the ``srgan`` command."""

from .cli import main

raise SystemExit(main())
