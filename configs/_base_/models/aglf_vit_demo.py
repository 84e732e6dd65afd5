# The TTL models of aglf_vit.py shrunk for the CPU demo on embedded data:
# 2 AGLF blocks of width 16 instead of 9 of width 48 (decoders and heads
# follow the encoder width).
_base_ = ['./aglf_vit.py']

demo_encoder = dict(mid_channels=16, num_blocks=2, num_heads=2, window_size=8)

recognition_model = dict(encoder=demo_encoder)
reconstruction_model = dict(generator=dict(encoder=demo_encoder))
distillation_model = dict(encoder=demo_encoder)
derain_model = dict(generator=dict(encoder=demo_encoder))
