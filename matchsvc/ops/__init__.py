"""Operations: the scheduler process and its job runs, backups, data keys."""
