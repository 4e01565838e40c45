"""The offline rules extractor."""

from app.extraction.rules.extractor import RulesExtractor

__all__ = ["RulesExtractor"]
