"""Screens of the dashboard, one class per module."""
