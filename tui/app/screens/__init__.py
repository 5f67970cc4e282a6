"""Screens: the explorer, the two compare views and the generated help."""
