"""Writes of grid management, one module per area; every write is a service here.

- :mod:`.grids`: grids, their boundaries and people, region boundaries (by permission);
- :mod:`.field`: field reports from the phone, work logs, patrols;
- :mod:`.basedata`: residents, houses, organizations, places; Excel import and export;
- :mod:`.keypop`: key populations, reveals, visits, missed-visit alerts;
- :mod:`.campaigns`: 排查 campaigns, findings, rectification.
"""
