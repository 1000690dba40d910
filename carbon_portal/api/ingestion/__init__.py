"""/api/v1/ endpoints of data collection (docs/interfaces.md §4): readings, meters, evidence,
meter activity and spreadsheet imports. HTTP only; the work is done by services."""
