"""PReNet: progressive recurrent network for image de-raining.

Ren et al., "Progressive Image Deraining Networks: A Better and Simpler
Baseline", CVPR 2019. One network is unrolled for ``num_stages`` stages; every
stage sees the rainy image and the previous stage's result (Sec. 3.1), keeps a
recurrent state across stages (Sec. 3.2) and predicts a residual added to the
rainy image.
"""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmagic.registry import MODELS


class ResidualBlock(nn.Module):
    """Two 3x3 conv + ReLU layers with an identity shortcut.

    Computes ``relu(relu(conv2(relu(conv1(x)))) + x)`` as in PReNet's
    ``res_conv`` blocks (the ReLU after the second convolution precedes the
    addition).

    Args:
        mid_channels (int): Channels of the features.
    """

    def __init__(self, mid_channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(mid_channels, mid_channels, 3, 1, 1)
        self.conv2 = nn.Conv2d(mid_channels, mid_channels, 3, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.conv2(F.relu(self.conv1(x))))
        return F.relu(out + x)


class ConvLSTMCell(nn.Module):
    """Convolutional LSTM cell of PReNet (Eq. 3 of the PReNet paper).

    The four gates are computed by one convolution with ``4 * mid_channels``
    outputs (input, forget, cell, output gate order), which is the same
    function as four separate convolutions but a single, faster kernel call.

    Args:
        mid_channels (int): Channels of the input features and hidden state.
    """

    num_states = 2

    def __init__(self, mid_channels: int) -> None:
        super().__init__()
        self.mid_channels = mid_channels
        self.gates = nn.Conv2d(2 * mid_channels, 4 * mid_channels, 3, 1, 1)

    def forward(self, x: torch.Tensor, state: tuple) -> tuple:
        h, c = state
        gates = self.gates(torch.cat((x, h), dim=1))
        i, f, g, o = gates.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, (h, c)


class ConvGRUCell(nn.Module):
    """Convolutional GRU cell of PReNet's GRU variant (Sec. 4.2 of the paper).

    The update (z) and reset (b) gates share one convolution over
    ``cat(x, h)``; the candidate state is computed from ``cat(b * h, x)``.

    Args:
        mid_channels (int): Channels of the input features and hidden state.
    """

    num_states = 1

    def __init__(self, mid_channels: int) -> None:
        super().__init__()
        self.mid_channels = mid_channels
        self.gates = nn.Conv2d(2 * mid_channels, 2 * mid_channels, 3, 1, 1)
        self.candidate = nn.Conv2d(2 * mid_channels, mid_channels, 3, 1, 1)

    def forward(self, x: torch.Tensor, state: tuple) -> tuple:
        (h, ) = state
        z, b = torch.sigmoid(self.gates(torch.cat((x, h), dim=1))).chunk(
            2, dim=1)
        g = torch.tanh(self.candidate(torch.cat((b * h, x), dim=1)))
        h = (1 - z) * h + z * g
        return h, (h, )


_RECURRENT_UNITS = {'lstm': ConvLSTMCell, 'gru': ConvGRUCell}


@MODELS.register_module()
class PReNet(BaseModule):
    """Progressive recurrent de-raining network and its variants.

    Ren et al., "Progressive Image Deraining Networks: A Better and Simpler
    Baseline", CVPR 2019. With the defaults this is the paper's PReNet
    (6 stages, 32 channels, 5 residual blocks, conv-LSTM; 168,963 parameters).
    The variants of the paper's Sec. 3.3 and 4.2 are arguments:

    - ``recurrent_unit=None``: PRN (no recurrent state across stages);
    - ``recurrent_unit='gru'``: PReNet with a conv-GRU;
    - ``recursive_blocks=True``: PReNet_r / PRN_r, one residual block whose
      weights are reused ``num_blocks`` times.

    Checkpoints released with the original code (keys ``conv0.0.weight``,
    ``res_conv1.0.weight``, ``conv_i.0.weight``, ..., optionally prefixed by
    ``module.``) load directly with :meth:`load_state_dict`; see
    :func:`convert_original_state_dict`.

    Args:
        in_channels (int): Channels of the rainy image. Default: 3.
        out_channels (int): Channels of the output. The output is a residual
            added to the input, so it must equal ``in_channels``. Default: 3.
        mid_channels (int): Channels of the features. Default: 32.
        num_stages (int): Number of recurrent stages T. Default: 6.
        num_blocks (int): Residual blocks per stage. Default: 5.
        recurrent_unit (str | None): ``'lstm'``, ``'gru'`` or None (PRN).
            Default: ``'lstm'``.
        recursive_blocks (bool): Share one residual block across the
            ``num_blocks`` applications. Default: False.
        init_cfg (dict, optional): Initialization config. Default: None.
    """

    def __init__(self,
                 in_channels: int = 3,
                 out_channels: int = 3,
                 mid_channels: int = 32,
                 num_stages: int = 6,
                 num_blocks: int = 5,
                 recurrent_unit: Optional[str] = 'lstm',
                 recursive_blocks: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if out_channels != in_channels:
            raise ValueError(
                'PReNet adds its output to the input image, so out_channels '
                f'({out_channels}) must equal in_channels ({in_channels}).')
        if recurrent_unit is not None and (recurrent_unit
                                           not in _RECURRENT_UNITS):
            raise ValueError(
                f'PReNet recurrent_unit must be one of '
                f'{sorted(_RECURRENT_UNITS)} or None, got {recurrent_unit!r}.')
        for name, value in (('mid_channels', mid_channels),
                            ('num_stages', num_stages),
                            ('num_blocks', num_blocks)):
            if value < 1:
                raise ValueError(f'PReNet {name} must be >= 1, got {value}.')
        self.in_channels = in_channels
        self.mid_channels = mid_channels
        self.num_stages = num_stages
        self.num_blocks = num_blocks
        self.recursive_blocks = recursive_blocks

        self.conv_in = nn.Conv2d(2 * in_channels, mid_channels, 3, 1, 1)
        self.recurrent = (
            _RECURRENT_UNITS[recurrent_unit](mid_channels)
            if recurrent_unit is not None else None)
        self.res_blocks = nn.ModuleList(
            ResidualBlock(mid_channels)
            for _ in range(1 if recursive_blocks else num_blocks))
        self.conv_out = nn.Conv2d(mid_channels, in_channels, 3, 1, 1)
        self._register_load_state_dict_pre_hook(_convert_on_load)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Remove rain from ``x``.

        Args:
            x (Tensor): Rainy images of shape (N, C, H, W) in [0, 1]; any H, W.

        Returns:
            Tensor: The last stage's de-rained images, shape (N, C, H, W).
        """
        n, _, h, w = x.shape
        state = None
        if self.recurrent is not None:
            zeros = x.new_zeros(n, self.mid_channels, h, w)
            state = (zeros, ) * self.recurrent.num_states
        out = x
        for _ in range(self.num_stages):
            feat = F.relu(self.conv_in(torch.cat((x, out), dim=1)))
            if self.recurrent is not None:
                feat, state = self.recurrent(feat, state)
            for j in range(self.num_blocks):
                feat = self.res_blocks[0 if self.recursive_blocks else j](feat)
            out = self.conv_out(feat) + x
        return out


def convert_original_state_dict(state_dict: Dict[str, torch.Tensor],
                                prefix: str = '') -> Dict[str, torch.Tensor]:
    """Map a state dict of the original PReNet code to :class:`PReNet` keys.

    The original code (csdwren/PReNet) names its layers ``conv0.0``,
    ``res_conv{k}.{0,2}``, ``conv_{i,f,g,o}.0`` (LSTM), ``conv_{z,b,g}.0``
    (GRU) and ``conv.0``; checkpoints saved from ``nn.DataParallel`` prefix
    them with ``module.``. The separate gate convolutions are concatenated
    into the fused gate convolution in the order this module splits them.

    Args:
        state_dict (dict): Original state dict (left unchanged).
        prefix (str): Prefix of the PReNet's keys in ``state_dict`` and in
            the result, e.g. ``'generator.'``. Default: ''.

    Returns:
        dict: A new state dict; keys outside ``prefix`` are kept as they are.
    """
    out = {}
    gates = {}
    for key, value in state_dict.items():
        if not key.startswith(prefix):
            out[key] = value
            continue
        name = key[len(prefix):]
        if name.startswith('module.'):
            name = name[len('module.'):]
        module, _, rest = name.partition('.')
        index, _, param = rest.partition('.')
        if module == 'conv0':
            out[f'{prefix}conv_in.{param}'] = value
        elif module == 'conv':
            out[f'{prefix}conv_out.{param}'] = value
        elif module.startswith('res_conv'):
            conv = 'conv1' if index == '0' else 'conv2'
            block = int(module[len('res_conv'):]) - 1
            out[f'{prefix}res_blocks.{block}.{conv}.{param}'] = value
        elif module in ('conv_i', 'conv_f', 'conv_g', 'conv_o', 'conv_z',
                        'conv_b'):
            gates[(module, param)] = value
        else:
            out[f'{prefix}{name}'] = value
    if ('conv_i', 'weight') in gates:
        for param in ('weight', 'bias'):
            out[f'{prefix}recurrent.gates.{param}'] = torch.cat(
                [gates[(g, param)] for g in ('conv_i', 'conv_f', 'conv_g',
                                             'conv_o')])
    elif ('conv_z', 'weight') in gates:
        for param in ('weight', 'bias'):
            out[f'{prefix}recurrent.gates.{param}'] = torch.cat(
                [gates[(g, param)] for g in ('conv_z', 'conv_b')])
            out[f'{prefix}recurrent.candidate.{param}'] = gates[('conv_g',
                                                                 param)]
    return out


def _is_original_layout(state_dict: dict, prefix: str) -> bool:
    return any(
        k.startswith((f'{prefix}conv0.', f'{prefix}module.conv0.'))
        for k in state_dict)


def _convert_on_load(state_dict, prefix, *args) -> None:
    """Rewrite original-layout keys in place before ``load_state_dict``."""
    if _is_original_layout(state_dict, prefix):
        converted = convert_original_state_dict(
            {k: v
             for k, v in state_dict.items() if k.startswith(prefix)}, prefix)
        for key in [k for k in state_dict if k.startswith(prefix)]:
            del state_dict[key]
        state_dict.update(converted)
