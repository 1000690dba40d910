"""The MQTT meter feed (docs/interfaces.md §5): `python manage.py mqtt_ingest`."""
