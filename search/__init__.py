"""Site search: what a reader's query finds in stories, artists, releases and tracks."""
