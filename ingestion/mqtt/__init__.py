"""The MQTT meter feed (CONTRACTS.md §5): `python manage.py mqtt_ingest`."""
