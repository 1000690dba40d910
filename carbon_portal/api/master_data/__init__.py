"""Master data over HTTP: facilities, emission sources, meters and their device keys (docs/interfaces.md §7)."""
