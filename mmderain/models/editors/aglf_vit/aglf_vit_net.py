"""The AGLF-ViT restoration network: encoder plus SPP image decoder."""
from typing import Optional

from mmengine.model import BaseModule
from torch import Tensor, nn

from mmagic.registry import MODELS


def build_decoder(cfg: dict, in_channels: int, owner: str) -> nn.Module:
    """Build a decoder or head whose ``in_channels`` defaults to the width of
    the encoder it follows.

    Args:
        cfg (dict): Config of the decoder or head.
        in_channels (int): Output channels of the encoder.
        owner (str): Name of the option, used in error messages.

    Returns:
        nn.Module: The built module.
    """
    cfg = dict(cfg)
    given = cfg.setdefault('in_channels', in_channels)
    if given != in_channels:
        raise ValueError(
            f'{owner}: in_channels={given} does not match the encoder, '
            f'which outputs {in_channels} channels.')
    return MODELS.build(cfg)


@MODELS.register_module()
class AGLFViTNet(BaseModule):
    """Encoder-decoder restoration network ``E(.) + D(.)`` of TTL.

    Used for the reconstruction task (E_recon + D_recon), the de-raining
    network (E_stu + D_dr) and the V2 baseline of Table 4. With
    ``residual=True`` the decoder predicts a correction added to the input
    image, a common choice for restoration that the paper leaves open.

    Args:
        encoder (dict): Encoder config, e.g. ``dict(type='AGLFViTEncoder')``.
        decoder (dict): Decoder config, e.g. ``dict(type='SPPDecoder')``;
            its ``in_channels`` defaults to the encoder's ``out_channels``.
        residual (bool): Add the input image to the decoder output.
            Default: True.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 encoder: dict,
                 decoder: dict,
                 residual: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.encoder = MODELS.build(encoder)
        self.decoder = build_decoder(decoder, self.encoder.out_channels,
                                     'AGLFViTNet.decoder')
        self.residual = residual

    def forward(self, x: Tensor) -> Tensor:
        """Restore images of shape (N, C, H, W), any H and W."""
        out = self.decoder(self.encoder(x))
        return out + x if self.residual else out
