"""The Textual app: the only package that imports Textual. `make_app()` builds it for the CLI and the tests."""
