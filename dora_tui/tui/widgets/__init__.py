"""Widgets of the dashboard, one class per module, and the text helpers they share."""
