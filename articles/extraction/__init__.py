"""Extraction of structured facts from article text: plain Python, no Django.

Text goes in, frozen dataclasses with code-point offsets into the text come out; the services
module is the only place that turns them into database rows.
"""

from articles.extraction.segmenter import Segment, looks_like_title_line, segment

__all__ = ["Segment", "looks_like_title_line", "segment"]
