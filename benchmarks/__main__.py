"""``python -m benchmarks [--quick]``: see :mod:`benchmarks.run`."""

import sys

from benchmarks.run import main

sys.exit(main())
