import numpy as np
import pytest
import torch
from mmengine.config import Config

import mmderain  # noqa: F401
from mmderain.apis import derain_image, init_model

MODEL = dict(
    type='BaseEditModel',
    generator=dict(type='PReNet', num_stages=2, mid_channels=8, num_blocks=1),
    pixel_loss=dict(type='SSIMLoss'),
    data_preprocessor=dict(
        type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))


def test_derain_image_matches_generator_and_loads_checkpoint(tmp_path):
    torch.manual_seed(0)
    model = init_model(Config(dict(model=MODEL)))
    ckpt = tmp_path / 'model.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    loaded = init_model(Config(dict(model=MODEL)), str(ckpt))
    img = np.random.default_rng(0).integers(0, 256, (40, 41, 3), np.uint8)
    out = derain_image(loaded, img, size_divisor=8)
    assert out.shape == img.shape and out.dtype == np.uint8
    with torch.no_grad():
        ref = loaded.generator(
            torch.from_numpy(img).permute(2, 0, 1)[None].float() / 255)
    ref = (ref.clamp(0, 1) * 255).round().byte()[0].permute(1, 2, 0).numpy()
    # Reflect padding (7 columns here) reaches 10 pixels in through this
    # network's 10 convolutions; pixels farther from the padded edge agree.
    far = np.s_[:, :41 - 10]
    assert np.abs(out[far].astype(int) - ref[far]).max() <= 1
    assert np.abs(out.astype(int) - ref).max() > 0
    np.testing.assert_array_equal(derain_image(loaded, img), ref)


def test_derain_image_rejects_float_images():
    model = init_model(Config(dict(model=MODEL)))
    with pytest.raises(ValueError, match='uint8'):
        derain_image(model, np.zeros((8, 8, 3), np.float32))
