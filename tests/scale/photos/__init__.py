"""A test-only app with an image field, standing in for the domain apps' images."""
