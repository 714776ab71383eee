"""The project app has no tables of its own.

This module exists so that Django sends the app its ``post_migrate`` signal (it only
does so for apps with a models module), which keeps the staff groups in sync.
"""
