"""Pure rules of the social-employment pathway: no I/O, only stdlib and pydantic."""
