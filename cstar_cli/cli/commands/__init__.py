"""The Typer layer: one module per noun. Commands parse, call one function, render."""
