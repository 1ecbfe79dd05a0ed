"""Gradio tabs: one module per tab (handlers on top, build() at the bottom). Only this package imports gradio."""
