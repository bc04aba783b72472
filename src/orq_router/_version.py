"""The version of the orq-router distribution (read by hatchling at build time)."""

__version__ = "0.1.0"
