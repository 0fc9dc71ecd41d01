"""Modal screens: help (F1), export dialog, study plan."""
