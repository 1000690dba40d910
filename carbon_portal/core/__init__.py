"""Infrastructure every app may use and none owns: the application error model and the data
generation. Imports nothing of the portal's apps (docs/architecture.md)."""
