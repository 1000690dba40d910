"""Meter readings: the write path (rows -> storage -> roll-ups and quality), reads, and
activity data from roll-ups. See docs/meter-readings.md."""
