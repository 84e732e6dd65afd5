from .aglf_vit import (AGLFViTEncoder, AGLFViTNet, SPPDecoder,
                       SPPRecognitionHead)
from .prenet import PReNet, convert_original_state_dict
from .ttl import TTLDistiller, TTLRecognizer, TTLRestorer
__all__ = ['PReNet', 'convert_original_state_dict',
           'AGLFViTEncoder', 'AGLFViTNet', 'SPPDecoder', 'SPPRecognitionHead',
           'TTLDistiller', 'TTLRecognizer', 'TTLRestorer']
