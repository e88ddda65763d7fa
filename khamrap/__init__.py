"""Khamrap: the yearly performance-agreement cycle between OPDC and Thailand's provinces."""
