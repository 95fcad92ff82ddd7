"""The dashboard: the app, its messages, screens and widgets, one stylesheet, and the data facade they read."""
