"""Search, answers and the JSON API over a built index."""
