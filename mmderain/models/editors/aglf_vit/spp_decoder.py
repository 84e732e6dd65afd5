"""Spatial-pyramid-pooling decoders of Task Transfer Learning.

Wang, Ma and Liu, "Removing Rain Streaks via Task Transfer Learning",
section "Network Structure": D_recon and D_dr are an SPP module "to
diversify features in scale" followed by a convolution that outputs the
image; D_recog is an SPP module, average pooling and a fully connected
layer that outputs the recognition score.
"""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmagic.registry import MODELS


class SPPModule(nn.Module):
    """Spatial pyramid pooling over a feature map.

    The paper does not give the pyramid; this uses PSPNet-style branches:
    for every scale ``s`` the features are average-pooled to an ``s x s``
    grid, projected by a 1x1 convolution and upsampled back; the input and
    all branches are concatenated and fused by a 3x3 convolution.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        pool_scales (Sequence[int]): Grid sizes of the pyramid.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 pool_scales: Sequence[int]) -> None:
        super().__init__()
        if any(int(s) < 1 for s in pool_scales):
            raise ValueError(f'SPPModule: every pool scale must be >= 1, got '
                             f'{tuple(pool_scales)}.')
        branch_channels = max(1, in_channels // max(1, len(pool_scales)))
        self.branches = nn.ModuleList(
            nn.Sequential(
                nn.AdaptiveAvgPool2d(int(s)),
                nn.Conv2d(in_channels, branch_channels, 1),
                nn.LeakyReLU(0.2, inplace=True)) for s in pool_scales)
        fused = in_channels + branch_channels * len(pool_scales)
        self.fuse = nn.Sequential(
            nn.Conv2d(fused, out_channels, 3, padding=1),
            nn.LeakyReLU(0.2, inplace=True))

    def forward(self, x: Tensor) -> Tensor:
        size = x.shape[-2:]
        pyramid = [x] + [
            F.interpolate(
                branch(x), size=size, mode='bilinear', align_corners=False)
            for branch in self.branches
        ]
        return self.fuse(torch.cat(pyramid, dim=1))


@MODELS.register_module()
class SPPDecoder(BaseModule):
    """Image decoder D_recon / D_dr: SPP module, then a 3x3 convolution.

    Args:
        in_channels (int): Channels of the encoder features. Default: 48.
        out_channels (int): Channels of the output image. Default: 3.
        mid_channels (int, optional): Channels after the SPP module.
            Default: None (``in_channels``).
        pool_scales (Sequence[int]): SPP grid sizes. Default: (1, 2, 4, 8).
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int = 48,
                 out_channels: int = 3,
                 mid_channels: Optional[int] = None,
                 pool_scales: Sequence[int] = (1, 2, 4, 8),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        mid_channels = mid_channels or in_channels
        self.spp = SPPModule(in_channels, mid_channels, pool_scales)
        self.conv_last = nn.Conv2d(mid_channels, out_channels, 3, padding=1)

    def forward(self, feat: Tensor) -> Tensor:
        """Decode features of shape (N, in_channels, H, W) into an image of
        shape (N, out_channels, H, W)."""
        return self.conv_last(self.spp(feat))


@MODELS.register_module()
class SPPRecognitionHead(BaseModule):
    """Recognition decoder D_recog: SPP, global average pooling, FC.

    Its output is regressed to the 0/1 rainy / rain-free label with the MSE
    of Eq. 1, so by default no activation is applied (``with_sigmoid=True``
    squashes the score into (0, 1)).

    Args:
        in_channels (int): Channels of the encoder features. Default: 48.
        mid_channels (int, optional): Channels after the SPP module.
            Default: None (``in_channels``).
        num_outputs (int): Output scores per image. Default: 1.
        pool_scales (Sequence[int]): SPP grid sizes. Default: (1, 2, 4, 8).
        with_sigmoid (bool): Apply a sigmoid to the scores. Default: False.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int = 48,
                 mid_channels: Optional[int] = None,
                 num_outputs: int = 1,
                 pool_scales: Sequence[int] = (1, 2, 4, 8),
                 with_sigmoid: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.with_sigmoid = with_sigmoid
        mid_channels = mid_channels or in_channels
        self.spp = SPPModule(in_channels, mid_channels, pool_scales)
        self.fc = nn.Linear(mid_channels, num_outputs)

    def forward(self, feat: Tensor) -> Tensor:
        """Map features (N, in_channels, H, W) to scores (N, num_outputs)."""
        pooled = F.adaptive_avg_pool2d(self.spp(feat), 1).flatten(1)
        score = self.fc(pooled)
        return torch.sigmoid(score) if self.with_sigmoid else score
