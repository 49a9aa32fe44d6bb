"""``python -m camsim`` runs the ``camsim`` command line (:mod:`camsim.cli`)."""

import sys

from .cli import main

sys.exit(main())
