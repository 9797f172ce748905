"""Storage: the SQL tables of interview sessions, their answer log and generated documents."""
