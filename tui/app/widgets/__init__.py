"""Widgets by screen region: sidebar, tables, charts, pickers. Each owns its bindings."""
