"""Offline, multilingual gazetteer: place data, recognition of mentions, resolution."""

from gazetteer.config import GazetteerConfig
from gazetteer.core import Gazetteer
from gazetteer.models import Candidate, Mention, Place

__all__ = ["Candidate", "Gazetteer", "GazetteerConfig", "Mention", "Place"]
