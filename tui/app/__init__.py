"""The explorer: Textual screens and widgets over core views and render output.

Data flows one way (core -> render -> here). Nothing outside this package imports Textual;
`tui.cli` reaches it only through `tui.app.main.run`, inside the command that opens it.
"""
