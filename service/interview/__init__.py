"""The interview engine: plain functions of a pack and the answers so far, no I/O."""
