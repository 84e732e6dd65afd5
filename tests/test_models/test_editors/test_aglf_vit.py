import pytest
import torch

from mmagic.registry import MODELS
from mmderain.models.editors.aglf_vit import (AGLFViTEncoder, AGLFViTNet,
                                              SPPDecoder, SPPRecognitionHead)
from mmderain.models.editors.aglf_vit.aglf_vit_encoder import \
    WindowSelfAttention

TINY = dict(mid_channels=8, num_blocks=2, num_heads=2, window_size=4)


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('attn_type', ['window', 'channel'])
@pytest.mark.parametrize('size', [(13, 21), (4, 4), (3, 9), (16, 8)])
def test_encoder_any_input_size(attn_type, size):
    encoder = AGLFViTEncoder(attn_type=attn_type, **TINY)
    feat = encoder(torch.rand(2, 3, *size))
    assert feat.shape == (2, 8, *size)
    assert encoder.out_channels == 8


def test_encoder_parameter_count():
    c, hidden, squeezed = 8, 16, 2
    encoder = AGLFViTEncoder(
        in_channels=3,
        mid_channels=c,
        num_blocks=3,
        num_heads=2,
        window_size=4,
        mlp_ratio=2.0)
    conv_first = 3 * c * 9 + c
    spatial_attention = 2 * 7 * 7 + 1
    block = (
        2 * c  # norm1
        + (c * 3 * c + 3 * c) + (c * c + c)  # qkv, proj
        + 2 * (c * c * 9 + c)  # local convs
        + (c * squeezed + squeezed) + (squeezed * c + c)  # channel attn
        + 2  # alpha, beta
        + 2 * c  # norm2
        + (c * hidden + hidden) + (hidden * c + c))  # mlp
    assert count(encoder) == conv_first + spatial_attention + 3 * block
    # channel attention adds one temperature per head
    channel = AGLFViTEncoder(
        mid_channels=c, num_blocks=3, num_heads=2, attn_type='channel')
    assert count(channel) == count(encoder) + 3 * 2


def test_decoder_and_head_parameter_count():
    c, branch = 8, 2  # 4 scales -> 8 // 4 channels per branch
    decoder = SPPDecoder(in_channels=c, out_channels=3)
    spp = 4 * (c * branch + branch) + ((c + 4 * branch) * c * 9 + c)
    assert count(decoder) == spp + (c * 3 * 9 + 3)
    head = SPPRecognitionHead(in_channels=c, num_outputs=1)
    assert count(head) == spp + (c + 1)


@pytest.mark.parametrize('attn_type', ['window', 'channel'])
def test_alpha_beta_receive_gradients(attn_type):
    encoder = AGLFViTEncoder(attn_type=attn_type, **TINY)
    encoder(torch.rand(1, 3, 8, 8)).square().mean().backward()
    for block in encoder.blocks:
        assert block.alpha.requires_grad and block.beta.requires_grad
        assert block.alpha.grad is not None and block.alpha.grad.abs() > 0
        assert block.beta.grad is not None and block.beta.grad.abs() > 0


def test_alpha_beta_weight_the_branches():
    encoder = AGLFViTEncoder(**TINY).eval()
    x = torch.rand(1, 3, 8, 8)
    block = encoder.blocks[0]
    with torch.no_grad():
        block.alpha.zero_()
        feat = torch.rand(1, 8, 8, 8)
        without_attn = block(feat)
        block.attn.proj.weight.mul_(3)
        assert torch.allclose(block(feat), without_attn)
        block.alpha.fill_(1.)
        assert not torch.allclose(block(feat), without_attn)
    assert encoder(x).shape == (1, 8, 8, 8)


def test_shifted_windows_keep_wrapped_regions_apart():
    attn = WindowSelfAttention(4, 2, window_size=4, shift_size=2).eval()
    x = torch.rand(1, 4, 8, 8)
    changed = x.clone()
    changed[:, :, 0] += 1  # first image row
    with torch.no_grad():
        out, out_changed = attn(x), attn(changed)
    # After the cyclic shift, rows 6-7 share windows with rows 0-1; the
    # mask must stop them from attending to each other.
    assert torch.allclose(out[:, :, 6:], out_changed[:, :, 6:])
    assert not torch.allclose(out[:, :, :2], out_changed[:, :, :2])


@pytest.mark.parametrize('kwargs, match', [
    (dict(attn_type='global'), 'attn_type'),
    (dict(num_blocks=0), 'num_blocks'),
    (dict(num_heads=3), 'num_heads'),
    (dict(window_size=0), 'window_size'),
    (dict(sa_kernel_size=4), 'kernel_size'),
])
def test_encoder_rejects_bad_arguments(kwargs, match):
    cfg = dict(TINY, **kwargs)
    with pytest.raises(ValueError, match=match):
        AGLFViTEncoder(**cfg)


def test_decoder_and_head_shapes():
    feat = torch.rand(2, 8, 5, 7)
    out = SPPDecoder(in_channels=8, out_channels=3)(feat)
    assert out.shape == (2, 3, 5, 7)
    head = SPPRecognitionHead(in_channels=8, num_outputs=1)
    assert head(feat).shape == (2, 1)
    squashed = SPPRecognitionHead(in_channels=8, with_sigmoid=True)(feat)
    assert ((squashed > 0) & (squashed < 1)).all()
    with pytest.raises(ValueError, match='pool scale'):
        SPPDecoder(in_channels=8, pool_scales=(0, 2))


def test_net_builds_from_registry_and_is_residual():
    net = MODELS.build(
        dict(
            type='AGLFViTNet',
            encoder=dict(type='AGLFViTEncoder', **TINY),
            decoder=dict(type='SPPDecoder')))
    assert isinstance(net, AGLFViTNet)
    assert net.decoder.in_channels == 8
    x = torch.rand(1, 3, 11, 6)
    assert net(x).shape == x.shape
    with torch.no_grad():
        net.decoder.conv_last.weight.zero_()
        net.decoder.conv_last.bias.zero_()
    assert torch.equal(net(x), x)


def test_net_rejects_decoder_width_mismatch():
    with pytest.raises(ValueError, match='in_channels=16'):
        AGLFViTNet(
            encoder=dict(type='AGLFViTEncoder', **TINY),
            decoder=dict(type='SPPDecoder', in_channels=16))
