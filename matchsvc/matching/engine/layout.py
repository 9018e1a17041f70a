"""Numbers the compiled search and its data agree on (`kernel.py` builds the data, `kernel_code.py`
reads it)."""

from __future__ import annotations

from .profiles import KINDS

#: Tier numbers of the kernel's lists: the index's 0–5 (专业类, 门类/大类, major, 专业不限,
#: inferred 专业类, inferred major), and 6 for every post.
TIER_ALL = 6
TIERS = 7
#: Provinces are 11–82; a table indexed by province has this many columns.
NATIONWIDE = 100
KIND_INTERNSHIP = KINDS.index("internship")
KIND_PUBLIC = KINDS.index("public_welfare")
