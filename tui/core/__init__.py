"""Data in: schema, loading, validation and analysis. Polars only; never imports Textual or rich."""
