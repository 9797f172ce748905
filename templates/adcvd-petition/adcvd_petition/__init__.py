"""The AD/CVD petition pack's own Python: its rules (``rules``) and its importer (``importing``)."""
