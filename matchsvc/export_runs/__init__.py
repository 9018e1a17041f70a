"""Exports too large to build while the officer waits, built by a job and downloaded later."""
