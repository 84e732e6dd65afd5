"""The AGLF-ViT encoder of Task Transfer Learning.

Wang, Ma and Liu, "Removing Rain Streaks via Task Transfer Learning",
section "Network Structure" and Figure 4: a convolution projects the image
into a shallow feature space, a spatial attention module highlights rainy
content, and a stack of Adaptive Global and Local feature Fusion (AGLF)
transformer blocks extracts deep features. Each block adds a self-attention
branch (global context) and a convolutional branch (local detail), weighted
by the learnable scalars alpha and beta.
"""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmagic.registry import MODELS

ATTENTION_TYPES = ('window', 'channel')


class ChannelLayerNorm(nn.LayerNorm):
    """LayerNorm over the channel dimension of an (N, C, H, W) tensor."""

    def forward(self, x: Tensor) -> Tensor:
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class SpatialAttention(nn.Module):
    """Spatial attention that re-weights every pixel of a feature map.

    The paper only says that the module "highlights rainy contents"; this
    follows the common CBAM form: the channel-wise mean and max maps go
    through one convolution and a sigmoid, and the result scales the input.

    Args:
        kernel_size (int): Kernel size of the convolution. Default: 7.
    """

    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(
                f'SpatialAttention: kernel_size must be a positive odd '
                f'number, got {kernel_size}.')
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2)

    def forward(self, x: Tensor) -> Tensor:
        stats = torch.cat(
            [x.mean(dim=1, keepdim=True),
             x.amax(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.conv(stats))


class WindowSelfAttention(nn.Module):
    """Multi-head self-attention inside non-overlapping square windows.

    With ``shift_size > 0`` the windows are shifted by that many pixels
    (Swin Transformer style, with the mask that keeps pixels from opposite
    image borders apart), so that stacked blocks exchange information
    across window borders.

    Args:
        channels (int): Feature channels.
        num_heads (int): Attention heads; must divide ``channels``.
        window_size (int): Side of a window. The input height and width
            must be multiples of it.
        shift_size (int): Cyclic shift before partitioning. Default: 0.
    """

    def __init__(self,
                 channels: int,
                 num_heads: int,
                 window_size: int,
                 shift_size: int = 0) -> None:
        super().__init__()
        if not 0 <= shift_size < window_size:
            raise ValueError(
                f'WindowSelfAttention: shift_size must be in [0, '
                f'window_size={window_size}), got {shift_size}.')
        self.num_heads = num_heads
        self.window_size = window_size
        self.shift_size = shift_size
        self.qkv = nn.Conv2d(channels, channels * 3, 1)
        self.proj = nn.Conv2d(channels, channels, 1)

    def _shift_mask(self, height: int, width: int,
                    device: torch.device) -> Tensor:
        """Boolean (num_windows, T, T) mask; True where attention is allowed.

        After the cyclic shift a window may hold pixels from up to four
        image regions that are not neighbours; each region gets an id and
        only pixels with the same id may attend to each other.
        """
        ws, shift = self.window_size, self.shift_size
        region = torch.zeros(height, width, device=device)
        bounds = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
        label = 0
        for rows in bounds:
            for cols in bounds:
                region[rows, cols] = label
                label += 1
        region = region.view(height // ws, ws, width // ws, ws)
        region = region.permute(0, 2, 1, 3).reshape(-1, ws * ws)
        return region[:, :, None] == region[:, None, :]

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        ws = self.window_size
        if h % ws or w % ws:
            raise ValueError(
                f'WindowSelfAttention: feature size {h}x{w} is not a '
                f'multiple of window_size={ws}; pad the input first.')
        # A shift is meaningless when one window already covers the map.
        shift = self.shift_size if min(h, w) > ws else 0
        if shift:
            x = torch.roll(x, shifts=(-shift, -shift), dims=(2, 3))
        nh, nw, head_dim = h // ws, w // ws, c // self.num_heads
        qkv = self.qkv(x).view(n, 3, self.num_heads, head_dim, nh, ws, nw,
                               ws)
        qkv = qkv.permute(1, 0, 4, 6, 2, 5, 7, 3).reshape(
            3, n * nh * nw, self.num_heads, ws * ws, head_dim)
        mask = None
        if shift:
            mask = self._shift_mask(h, w, x.device)
            mask = mask[None, :, None].expand(n, -1, -1, -1, -1)
            mask = mask.reshape(n * nh * nw, 1, ws * ws, ws * ws)
        out = F.scaled_dot_product_attention(
            qkv[0], qkv[1], qkv[2], attn_mask=mask)
        out = out.view(n, nh, nw, self.num_heads, ws, ws, head_dim)
        out = out.permute(0, 3, 6, 1, 4, 2, 5).reshape(n, c, h, w)
        out = self.proj(out)
        if shift:
            out = torch.roll(out, shifts=(shift, shift), dims=(2, 3))
        return out


class ChannelSelfAttention(nn.Module):
    """Multi-head self-attention across channels (transposed attention).

    Each head builds a (head_dim x head_dim) attention map from L2-normalised
    queries and keys over all pixels, so every output pixel sees the whole
    image at a cost linear in the number of pixels, for any input size.

    Args:
        channels (int): Feature channels.
        num_heads (int): Attention heads; must divide ``channels``.
    """

    def __init__(self, channels: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.temperature = nn.Parameter(torch.ones(num_heads, 1, 1))
        self.qkv = nn.Conv2d(channels, channels * 3, 1)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        q, k, v = self.qkv(x).view(n, 3, self.num_heads, c // self.num_heads,
                                   h * w).unbind(dim=1)
        q = F.normalize(q, dim=-1)
        k = F.normalize(k, dim=-1)
        attn = (q @ k.transpose(-2, -1) * self.temperature).softmax(dim=-1)
        return self.proj((attn @ v).reshape(n, c, h, w))


class LocalBranch(nn.Module):
    """Convolutional branch for local detail: two convolutions with a GELU,
    followed by squeeze-and-excitation channel attention (the local context
    extractor of the context-aware ViT the paper cites, Liu et al. 2022).

    Args:
        channels (int): Feature channels.
        kernel_size (int): Kernel size of the two convolutions. Default: 3.
        reduction (int): Channel reduction of the channel attention.
            Default: 4.
    """

    def __init__(self,
                 channels: int,
                 kernel_size: int = 3,
                 reduction: int = 4) -> None:
        super().__init__()
        padding = kernel_size // 2
        squeezed = max(1, channels // reduction)
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, kernel_size, padding=padding),
            nn.GELU(),
            nn.Conv2d(channels, channels, kernel_size, padding=padding))
        self.channel_attention = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(channels, squeezed, 1),
            nn.ReLU(inplace=True), nn.Conv2d(squeezed, channels, 1),
            nn.Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        feat = self.body(x)
        return feat * self.channel_attention(feat)


class AGLFBlock(nn.Module):
    """Adaptive Global and Local feature Fusion transformer block (Fig. 4).

    ``x = x + alpha * Attention(LN(x)) + beta * Local(LN(x))`` followed by
    ``x = x + MLP(LN(x))``; alpha and beta are learnable scalars.

    Args:
        channels (int): Feature channels.
        num_heads (int): Attention heads.
        window_size (int): Window side for ``attn_type='window'``.
        shift_size (int): Window shift for ``attn_type='window'``.
        attn_type (str): 'window' or 'channel'.
        mlp_ratio (float): Hidden width of the MLP relative to ``channels``.
        local_kernel_size (int): Kernel size of the local branch.
        alpha_init (float): Initial weight of the global branch.
        beta_init (float): Initial weight of the local branch.
    """

    def __init__(self,
                 channels: int,
                 num_heads: int,
                 window_size: int = 8,
                 shift_size: int = 0,
                 attn_type: str = 'window',
                 mlp_ratio: float = 2.0,
                 local_kernel_size: int = 3,
                 alpha_init: float = 1.0,
                 beta_init: float = 1.0) -> None:
        super().__init__()
        self.norm1 = ChannelLayerNorm(channels)
        if attn_type == 'window':
            self.attn = WindowSelfAttention(channels, num_heads, window_size,
                                            shift_size)
        else:
            self.attn = ChannelSelfAttention(channels, num_heads)
        self.local = LocalBranch(channels, local_kernel_size)
        self.alpha = nn.Parameter(torch.tensor(float(alpha_init)))
        self.beta = nn.Parameter(torch.tensor(float(beta_init)))
        self.norm2 = ChannelLayerNorm(channels)
        hidden = max(1, int(channels * mlp_ratio))
        self.mlp = nn.Sequential(
            nn.Conv2d(channels, hidden, 1), nn.GELU(),
            nn.Conv2d(hidden, channels, 1))

    def forward(self, x: Tensor) -> Tensor:
        y = self.norm1(x)
        x = x + self.alpha * self.attn(y) + self.beta * self.local(y)
        return x + self.mlp(self.norm2(x))


def pad_to_multiple(x: Tensor, multiple: int) -> Tuple[Tensor, int, int]:
    """Pad the bottom and right of ``x`` so H and W are multiples of
    ``multiple``. Reflection is used where the image is large enough for it,
    replication otherwise. Returns the padded tensor and the original size.
    """
    h, w = x.shape[-2:]
    pad_h, pad_w = (-h) % multiple, (-w) % multiple
    if pad_h or pad_w:
        mode = 'reflect' if pad_h < h and pad_w < w else 'replicate'
        x = F.pad(x, (0, pad_w, 0, pad_h), mode=mode)
    return x, h, w


@MODELS.register_module()
class AGLFViTEncoder(BaseModule):
    """AGLF-ViT encoder (E_recog, E_recon and E_stu share this architecture).

    Conv -> spatial attention -> ``num_blocks`` AGLF blocks (paper: 9), all at
    the input resolution (the paper describes no down-sampling). Inputs of
    any size are accepted: they are padded to a multiple of the window and
    the features are cropped back, so the output has the input's H and W.

    Choices where the paper is silent (all arguments):
    ``attn_type='window'`` uses window self-attention, with every second
    block shifted by half a window so windows exchange information;
    ``'channel'`` uses transposed channel attention, global over the image.
    The local branch is two convolutions plus channel attention; the
    spatial attention is CBAM-style.

    Args:
        in_channels (int): Image channels. Default: 3.
        mid_channels (int): Feature width. Default: 48.
        num_blocks (int): Number of AGLF blocks (depth). Default: 9.
        num_heads (int): Attention heads; must divide ``mid_channels``.
            Default: 4.
        window_size (int): Attention window side. Default: 8.
        attn_type (str): 'window' or 'channel'. Default: 'window'.
        shift_windows (bool): Shift the windows of every second block.
            Default: True.
        mlp_ratio (float): MLP hidden width relative to ``mid_channels``.
            Default: 2.0.
        local_kernel_size (int): Kernel size of the local branch.
            Default: 3.
        sa_kernel_size (int): Kernel size of the spatial attention.
            Default: 7.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int = 3,
                 mid_channels: int = 48,
                 num_blocks: int = 9,
                 num_heads: int = 4,
                 window_size: int = 8,
                 attn_type: str = 'window',
                 shift_windows: bool = True,
                 mlp_ratio: float = 2.0,
                 local_kernel_size: int = 3,
                 sa_kernel_size: int = 7,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if attn_type not in ATTENTION_TYPES:
            raise ValueError(f'AGLFViTEncoder: attn_type must be one of '
                             f'{ATTENTION_TYPES}, got {attn_type!r}.')
        if num_blocks < 1:
            raise ValueError(
                f'AGLFViTEncoder: num_blocks must be >= 1, got {num_blocks}.')
        if window_size < 1:
            raise ValueError(f'AGLFViTEncoder: window_size must be >= 1, '
                             f'got {window_size}.')
        if num_heads < 1 or mid_channels % num_heads:
            raise ValueError(
                f'AGLFViTEncoder: num_heads={num_heads} must be a positive '
                f'divisor of mid_channels={mid_channels}.')
        self.mid_channels = mid_channels
        self.pad_multiple = window_size if attn_type == 'window' else 1
        shift = window_size // 2 if shift_windows else 0
        self.conv_first = nn.Conv2d(in_channels, mid_channels, 3, padding=1)
        self.spatial_attention = SpatialAttention(sa_kernel_size)
        self.blocks = nn.Sequential(*[
            AGLFBlock(
                mid_channels,
                num_heads,
                window_size=window_size,
                shift_size=shift if i % 2 else 0,
                attn_type=attn_type,
                mlp_ratio=mlp_ratio,
                local_kernel_size=local_kernel_size)
            for i in range(num_blocks)
        ])

    @property
    def out_channels(self) -> int:
        """Channels of the output features (``mid_channels``)."""
        return self.mid_channels

    def forward(self, x: Tensor) -> Tensor:
        """Encode images.

        Args:
            x (Tensor): Images of shape (N, in_channels, H, W), any H and W.

        Returns:
            Tensor: Features of shape (N, mid_channels, H, W).
        """
        x, h, w = pad_to_multiple(x, self.pad_multiple)
        feat = self.spatial_attention(self.conv_first(x))
        return self.blocks(feat)[..., :h, :w]
