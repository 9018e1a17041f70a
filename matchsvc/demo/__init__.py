"""Demo data: a realistic 2012 campaign for trying the service."""
