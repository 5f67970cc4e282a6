"""Text out: rich tables and plotext charts built from core views. Never imports Textual."""
