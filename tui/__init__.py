"""kvscope: a keyboard-driven terminal explorer for LLM evaluation sweeps."""

__version__ = "0.1.0"
