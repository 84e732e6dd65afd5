"""The original PReNet code's network, the speed reference of the benchmark.

Ren et al., "Progressive Image Deraining Networks: A Better and Simpler
Baseline", CVPR 2019 (code: csdwren/PReNet, ``networks.py``). The authors'
layer layout is kept: four separate gate convolutions of the conv-LSTM, each
in an ``nn.Sequential`` with its activation, and fresh zero states allocated
every forward; :class:`mmderain.models.editors.prenet.PReNet` fuses the gates
into one convolution. Only the default network (LSTM, 5 residual blocks,
32 channels) is written out: it is the one the benchmark times.
"""
import torch
import torch.nn as nn


def _conv(in_channels: int, out_channels: int, act: nn.Module) -> nn.Module:
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, 1, 1), act)


class OriginalPReNet(nn.Module):
    """The authors' ``PReNet`` module (``networks.py``), LSTM variant.

    Args:
        num_stages (int): Recurrent stages (the original's ``recurrent_iter``).
            Default: 6.
    """

    def __init__(self, num_stages: int = 6) -> None:
        super().__init__()
        self.iteration = num_stages
        self.conv0 = _conv(6, 32, nn.ReLU())
        for index in range(1, 6):
            setattr(
                self, f'res_conv{index}',
                nn.Sequential(
                    nn.Conv2d(32, 32, 3, 1, 1), nn.ReLU(),
                    nn.Conv2d(32, 32, 3, 1, 1), nn.ReLU()))
        self.conv_i = _conv(64, 32, nn.Sigmoid())
        self.conv_f = _conv(64, 32, nn.Sigmoid())
        self.conv_g = _conv(64, 32, nn.Tanh())
        self.conv_o = _conv(64, 32, nn.Sigmoid())
        self.conv = nn.Sequential(nn.Conv2d(32, 3, 3, 1, 1))

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        """The last stage's output (the original also returns every
        stage's; the training script uses only the last)."""
        batch, _, row, col = input.shape
        x = input
        h = torch.zeros(batch, 32, row, col, device=input.device)
        c = torch.zeros(batch, 32, row, col, device=input.device)
        for _ in range(self.iteration):
            x = self.conv0(torch.cat((input, x), 1))
            x = torch.cat((x, h), 1)
            i = self.conv_i(x)
            f = self.conv_f(x)
            g = self.conv_g(x)
            o = self.conv_o(x)
            c = f * c + i * g
            h = o * torch.tanh(c)
            x = h
            for index in range(1, 6):
                resx = x
                x = torch.relu(getattr(self, f'res_conv{index}')(x) + resx)
            x = self.conv(x)
            x = x + input
        return x
