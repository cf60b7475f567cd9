"""OpenKAM analytics: pure numpy/scipy models. Imports nothing from Django."""
