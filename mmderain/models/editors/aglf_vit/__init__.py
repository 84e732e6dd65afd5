from .aglf_vit_encoder import AGLFBlock, AGLFViTEncoder, SpatialAttention
from .aglf_vit_net import AGLFViTNet, build_decoder
from .spp_decoder import SPPDecoder, SPPModule, SPPRecognitionHead

__all__ = [
    'AGLFBlock', 'AGLFViTEncoder', 'AGLFViTNet', 'SPPDecoder', 'SPPModule',
    'SPPRecognitionHead', 'SpatialAttention', 'build_decoder'
]
