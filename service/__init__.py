"""Filing Assembler: guided interviews that assemble legal filing packets as Word documents."""
