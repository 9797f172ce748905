"""Who is calling: API keys (Bearer) for portals; for people, the firm's proxy header or a
sign-in with a personal key. Scopes say what a caller may do; ownership (in the session
service) says which sessions it may see."""
