"""The Textual UI: the only part of nntutor that imports textual."""
