"""Rules of the AD/CVD petition domain: plain functions with no I/O."""
