"""``python -m tests.soak``: see ``tests.soak.run`` (and ``scripts/soak --help``)."""

import sys

# Before Home Assistant is imported: make its clock one freezegun can move (as the
# pytest plugin does).
import pytest_homeassistant_custom_component.patch_time  # noqa: F401

from tests.soak.run import main

sys.exit(main())
