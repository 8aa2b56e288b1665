"""Incremental building, in one place: what a build keeps for the next (`store`), what each
output was made from (`dependencies`), and which outputs an edit touches."""
