"""Cross-cutting web concerns: guards, pages, errors, security headers (no feature rules)."""
