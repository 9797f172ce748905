"""Interview sessions: the rules that tie the engine, the packs and storage together."""
