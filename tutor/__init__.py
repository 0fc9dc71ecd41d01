"""术语导师 tutor: a bilingual knowledge-graph tutor for AI image generation and training vocabulary."""

__version__ = "0.1.0"
