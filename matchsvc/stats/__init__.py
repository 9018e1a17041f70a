"""The statistics table of the notice (items 06–16), computed from the records (no Flask here)."""
