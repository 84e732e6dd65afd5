import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmagic.registry import MODELS
from mmderain.models.editors.prenet import PReNet, convert_original_state_dict


def conv_act(cin, cout, act):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1), act)


class OriginalPReNet(nn.Module):
    """The layer layout and forward of the authors' code (csdwren/PReNet),
    written out with its original module names as a reference."""

    def __init__(self, recurrent='lstm', recursive=False, stages=6):
        super().__init__()
        self.recurrent, self.recursive = recurrent, recursive
        self.stages = stages
        self.conv0 = conv_act(6, 32, nn.ReLU())
        for k in range(1, 2 if recursive else 6):
            setattr(self, f'res_conv{k}',
                    nn.Sequential(
                        nn.Conv2d(32, 32, 3, 1, 1), nn.ReLU(),
                        nn.Conv2d(32, 32, 3, 1, 1), nn.ReLU()))
        if recurrent == 'lstm':
            self.conv_i = conv_act(64, 32, nn.Sigmoid())
            self.conv_f = conv_act(64, 32, nn.Sigmoid())
            self.conv_g = conv_act(64, 32, nn.Tanh())
            self.conv_o = conv_act(64, 32, nn.Sigmoid())
        elif recurrent == 'gru':
            self.conv_z = conv_act(64, 32, nn.Sigmoid())
            self.conv_b = conv_act(64, 32, nn.Sigmoid())
            self.conv_g = conv_act(64, 32, nn.Tanh())
        self.conv = nn.Sequential(nn.Conv2d(32, 3, 3, 1, 1))

    def forward(self, inp):
        n, _, r, c_ = inp.shape
        x = inp
        h = torch.zeros(n, 32, r, c_)
        c = torch.zeros(n, 32, r, c_)
        for _ in range(self.stages):
            x = self.conv0(torch.cat((inp, x), 1))
            if self.recurrent == 'lstm':
                xh = torch.cat((x, h), 1)
                i, f = self.conv_i(xh), self.conv_f(xh)
                g, o = self.conv_g(xh), self.conv_o(xh)
                c = f * c + i * g
                h = o * torch.tanh(c)
                x = h
            elif self.recurrent == 'gru':
                xh = torch.cat((x, h), 1)
                z, b = self.conv_z(xh), self.conv_b(xh)
                g = self.conv_g(torch.cat((b * h, x), 1))
                h = (1 - z) * h + z * g
                x = h
            for k in range(1, 6):
                block = getattr(self, 'res_conv1' if self.recursive else
                                f'res_conv{k}')
                x = F.relu(block(x) + x)
            x = self.conv(x) + inp
        return x


def test_registered_and_parameter_count():
    model = MODELS.build(dict(type='PReNet'))
    assert isinstance(model, PReNet)
    # The paper's 6-stage LSTM PReNet has 168,963 parameters (~169k).
    assert sum(p.numel() for p in model.parameters()) == 168963
    assert sum(p.numel() for p in OriginalPReNet().parameters()) == 168963


@pytest.mark.parametrize('size', [(17, 23), (32, 32), (1, 5)])
def test_any_input_size(size):
    model = PReNet(num_stages=2, mid_channels=8, num_blocks=2)
    x = torch.rand(2, 3, *size)
    assert model(x).shape == x.shape


@pytest.mark.parametrize('recurrent,recursive', [('lstm', False),
                                                 ('gru', False), (None, False),
                                                 ('lstm', True), (None, True)])
def test_matches_original_code(recurrent, recursive):
    torch.manual_seed(0)
    original = OriginalPReNet(recurrent, recursive, stages=3).eval()
    # A checkpoint as the original training script saves it (DataParallel).
    released = {f'module.{k}': v for k, v in original.state_dict().items()}
    model = PReNet(
        num_stages=3, recurrent_unit=recurrent,
        recursive_blocks=recursive).eval()
    model.load_state_dict(released)  # original keys load directly
    x = torch.rand(2, 3, 20, 24)
    with torch.no_grad():
        torch.testing.assert_close(model(x), original(x), rtol=0, atol=1e-5)

    model2 = PReNet(
        num_stages=3, recurrent_unit=recurrent, recursive_blocks=recursive)
    model2.load_state_dict(convert_original_state_dict(released))
    with torch.no_grad():
        torch.testing.assert_close(model2(x), original(x), rtol=0, atol=1e-5)


def test_loads_original_keys_inside_edit_model():
    torch.manual_seed(1)
    original = OriginalPReNet(stages=2)
    editor = MODELS.build(
        dict(
            type='BaseEditModel',
            generator=dict(type='PReNet', num_stages=2),
            pixel_loss=dict(type='SSIMLoss')))
    state = {f'generator.{k}': v for k, v in original.state_dict().items()}
    editor.load_state_dict(state)
    x = torch.rand(1, 3, 12, 12)
    with torch.no_grad():
        torch.testing.assert_close(editor.generator(x), original(x))


def test_variant_parameter_counts_differ():
    counts = {
        name: sum(p.numel() for p in PReNet(**kw).parameters())
        for name, kw in dict(
            prenet={}, gru=dict(recurrent_unit='gru'),
            prn=dict(recurrent_unit=None),
            prenet_r=dict(recursive_blocks=True)).items()
    }
    assert counts['prn'] == 168963 - 4 * (64 * 32 * 9 + 32)
    assert counts['gru'] == 168963 - (64 * 32 * 9 + 32)
    assert counts['prenet_r'] == 168963 - 4 * 2 * (32 * 32 * 9 + 32)


@pytest.mark.parametrize('kwargs,match', [
    (dict(recurrent_unit='rnn'), 'recurrent_unit'),
    (dict(out_channels=1), 'out_channels'),
    (dict(num_stages=0), 'num_stages'),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PReNet(**kwargs)


def test_gradients_flow_to_all_parameters():
    model = PReNet(num_stages=2, mid_channels=4, num_blocks=1)
    model(torch.rand(1, 3, 8, 8)).mean().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.parameters())
