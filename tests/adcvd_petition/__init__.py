"""The petition pack's own tests: its rules and its importer."""
