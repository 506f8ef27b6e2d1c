"""pytest fixtures for code that talks to Dinero (in-process fake, live server)."""
