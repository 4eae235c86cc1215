"""Subcommands of the villagepolicy command; each module registers its own."""
