from .aglf_vit import (AGLFViTEncoder, AGLFViTNet, SPPDecoder,
                       SPPRecognitionHead)
from .prenet import PReNet, convert_original_state_dict
__all__ = ['PReNet', 'convert_original_state_dict',
           'AGLFViTEncoder', 'AGLFViTNet', 'SPPDecoder', 'SPPRecognitionHead']
