import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from tool_runs import run_script, run_tool

import mmderain  # noqa: F401
from mmderain.apis import derain_image, init_model, read_image

pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')

from mmderain.apis.deployment import (  # noqa: E402
    DEFAULT_ATOL, DynamicAdaptiveAvgPool2d, OnnxDerainer, export_onnx,
    min_input_size)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DATA = osp.join(ROOT, 'tests', 'data', 'RainTrainL')
PREPROCESSOR = dict(type='DataPreprocessor', mean=[0., 0., 0.],
                    std=[255., 255., 255.])


def _prenet(**generator):
    return Config(dict(model=dict(
        type='BaseEditModel',
        generator=dict(dict(type='PReNet', mid_channels=4, num_stages=2,
                            num_blocks=1), **generator),
        pixel_loss=dict(type='SSIMLoss'),
        data_preprocessor=PREPROCESSOR)))


def _aglf_vit(attn_type='window'):
    encoder = dict(type='AGLFViTEncoder', mid_channels=8, num_blocks=2,
                   num_heads=2, window_size=4, attn_type=attn_type)
    return Config(dict(model=dict(
        type='TTLRestorer',
        generator=dict(type='AGLFViTNet', encoder=encoder,
                       decoder=dict(type='SPPDecoder',
                                    pool_scales=(1, 2, 4))),
        pixel_loss=dict(type='MSELoss'),
        data_preprocessor=PREPROCESSOR)))


def _rainy_crops():
    """RainTrainL crops at two sizes (48x32 and 32x48) and an odd crop of
    a natural photo shipped with scikit-image."""
    skimage_data = pytest.importorskip('skimage.data')
    astronaut = np.ascontiguousarray(skimage_data.astronaut()[::-1])
    return [
        read_image(osp.join(DATA, 'rain-100.png')),
        read_image(osp.join(DATA, 'rain-12.png')),
        np.ascontiguousarray(astronaut[100:137, 180:233, ::-1]),
    ]


def _assert_same_derained(model, onnx_model, img):
    """onnxruntime gives PyTorch's float output within DEFAULT_ATOL and
    its uint8 result within one grey level."""
    x = torch.from_numpy(img[..., ::-1].copy()).permute(2, 0, 1)[None] / 255.
    with torch.no_grad():
        expected = model(x, mode='tensor')
    got = onnx_model(x)
    assert got.shape == expected.shape == x.shape
    assert (got - expected).abs().max() <= DEFAULT_ATOL
    # The network changes the image: agreement is not the identity's.
    assert (expected - x).abs().max() > 100 * DEFAULT_ATOL
    ours = derain_image(model, img).astype(int)
    theirs = derain_image(onnx_model, img).astype(int)
    assert np.abs(ours - theirs).max() <= 1


@pytest.mark.parametrize('generator', [
    dict(recurrent_unit='lstm'),
    dict(recurrent_unit='gru', num_stages=3),
    dict(recurrent_unit=None, num_stages=1),
    dict(recurrent_unit=None, recursive_blocks=True, num_blocks=3),
])
def test_prenet_variants_export_with_dynamic_size(tmp_path, generator):
    torch.manual_seed(0)
    model = init_model(_prenet(**generator), device='cpu')
    out = str(tmp_path / 'prenet.onnx')
    diffs = export_onnx(model, None, out)
    # Verified at batch 2 and two sizes unlike the traced 67x61 example.
    assert sorted(diffs) == ['2x3x45x83', '2x3x64x48']
    assert max(diffs.values()) <= DEFAULT_ATOL
    onnx_model = OnnxDerainer(out)
    assert onnx_model.min_size == 1
    for img in _rainy_crops():
        _assert_same_derained(model, onnx_model, img)


@pytest.mark.parametrize('attn_type', ['window', 'channel'])
def test_aglf_vit_exports_with_dynamic_size(tmp_path, attn_type):
    torch.manual_seed(0)
    model = init_model(_aglf_vit(attn_type), device='cpu')
    out = str(tmp_path / 'aglf_vit.onnx')
    export_onnx(model, None, out)
    onnx_model = OnnxDerainer(out)
    assert onnx_model.min_size == (5 if attn_type == 'window' else 1)
    for img in _rainy_crops():
        _assert_same_derained(model, onnx_model, img)
    # Tiles of 20 pixels with odd sizes at the image's borders.
    img = _rainy_crops()[2]
    tiled = derain_image(onnx_model, img, tile=20, tile_overlap=6)
    expected = derain_image(model, img, tile=20, tile_overlap=6)
    assert np.abs(tiled.astype(int) - expected).max() <= 1


def test_window_attention_limits_are_enforced(tmp_path):
    model = init_model(_aglf_vit(), device='cpu')
    out = str(tmp_path / 'aglf_vit.onnx')
    # A multiple of the window would trace the padding away.
    with pytest.raises(ValueError, match='input_size=.*window \\(4\\)'):
        export_onnx(model, None, out, input_size=(64, 60))
    export_onnx(model, None, out, verify_sizes=[])
    with pytest.raises(ValueError, match='4x9 input is below.*5'):
        OnnxDerainer(out)(torch.rand(1, 3, 4, 9))
    assert min_input_size(model.generator) == 5


@pytest.mark.parametrize('size', [(67, 61), (5, 3), (8, 8), (1, 1)])
def test_dynamic_adaptive_avg_pool_is_adaptive_avg_pool(size):
    x = torch.rand(2, 3, *size)
    for grid in (1, 2, (4, 3), 8):
        torch.testing.assert_close(
            DynamicAdaptiveAvgPool2d(grid)(x), F.adaptive_avg_pool2d(x, grid),
            rtol=0, atol=1e-6)


def test_export_fails_loudly(tmp_path):
    out = str(tmp_path / 'x.onnx')
    model = init_model(_prenet(), device='cpu')
    with pytest.raises(ValueError, match='checkpoint=None'):
        export_onnx(model, 'weights.pth', out)
    with pytest.raises(ValueError, match='not an image-to-image model'):
        export_onnx(model.generator, None, out)
    with pytest.raises(FileNotFoundError, match='nope.py'):
        export_onnx(str(tmp_path / 'nope.py'), None, out)
    # A graph that holds only at the traced size fails verification.
    with pytest.raises(ValueError, match='differs from PyTorch'):
        export_onnx(model, None, out, atol=-1.0)


def test_onnx_derainer_refuses_foreign_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.onnx'):
        OnnxDerainer(str(tmp_path / 'nope.onnx'))
    text = tmp_path / 'text.onnx'
    text.write_text('not a model')
    with pytest.raises(ValueError, match='text.onnx: onnxruntime cannot'):
        OnnxDerainer(str(text))
    bare = str(tmp_path / 'bare.onnx')
    torch.onnx.export(torch.nn.Conv2d(3, 3, 1), (torch.rand(1, 3, 4, 4), ),
                      bare, input_names=['input'], output_names=['output'],
                      dynamo=False)
    with pytest.raises(ValueError, match="bare.onnx: no 'mmderain'"):
        OnnxDerainer(bare)
    model = init_model(_prenet(), device='cpu')
    out = str(tmp_path / 'prenet.onnx')
    export_onnx(model, None, out, verify_sizes=[])
    with pytest.raises(ValueError, match='--device npu'):
        OnnxDerainer(out, device='npu')
    with pytest.raises(ValueError, match="mode='tensor'"):
        OnnxDerainer(out)(torch.rand(1, 3, 8, 8), mode='loss')


@pytest.mark.e2e
def test_pytorch2onnx_exports_a_ttl_derain_config(tmp_path):
    config = osp.join(ROOT, 'configs', 'ttl',
                      'aglf-vit_ttl-derain_demo_embedded.py')
    out = tmp_path / 'aglf_vit.onnx'
    result = run_tool(
        osp.join(ROOT, 'tools', 'deployment', 'pytorch2onnx.py'), config,
        'none', out, timeout=300)
    assert 'onnxruntime vs PyTorch at 2x3x45x83' in result.stdout
    onnx_model = OnnxDerainer(str(out))
    # The demo encoder's window is 8 pixels.
    assert onnx_model.min_size == 9
    assert onnx_model.metadata['generator'] == 'AGLFViTNet'


def test_derain_tool_and_inferencer_run_an_onnx_file(tmp_path, monkeypatch):
    import mmcv

    from mmderain.apis import DerainInferencer
    config = tmp_path / 'prenet_tiny.py'
    config.write_text(_prenet().pretty_text)
    torch.manual_seed(0)
    model = init_model(str(config), device='cpu')
    onnx_file = str(tmp_path / 'prenet.onnx')
    export_onnx(model, None, onnx_file)
    assert isinstance(init_model(str(config), onnx_file), OnnxDerainer)
    with pytest.raises(ValueError, match='holds the generator'):
        init_model(_prenet(num_stages=3), onnx_file)
    img = _rainy_crops()[2]
    tiled = dict(tile=20, tile_overlap=6)
    expected = derain_image(model, img, **tiled)
    inferencer = DerainInferencer(str(config), onnx_file, **tiled)
    assert isinstance(inferencer.model, OnnxDerainer)
    assert np.abs(inferencer(img).astype(int) - expected).max() <= 1
    rainy = tmp_path / 'rainy'
    mmcv.imwrite(img, str(rainy / 'a.png'))
    out = tmp_path / 'out'
    assert run_script(monkeypatch, osp.join(ROOT, 'tools', 'derain.py'),
                      config, onnx_file, rainy, '--out', out, '--tile', '20',
                      '--tile-overlap', '6') == 0
    result = mmcv.imread(str(out / 'a.png'))
    assert np.abs(result.astype(int) - expected).max() <= 1
