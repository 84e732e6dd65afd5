from .stage_checkpoint import load_stage_weights, resolve_stage_checkpoint
from .ttl_distiller import TTLDistiller
from .ttl_recognizer import TTLRecognizer
from .ttl_restorer import TTLRestorer

__all__ = [
    'TTLDistiller', 'TTLRecognizer', 'TTLRestorer', 'load_stage_weights',
    'resolve_stage_checkpoint'
]
