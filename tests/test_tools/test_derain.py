import os
import os.path as osp
import subprocess
import sys

import mmcv
import numpy as np
import torch
from mmengine.config import Config

import mmderain  # noqa: F401
from mmderain.apis import derain_image, init_model

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CONFIG = """
default_scope = 'mmagic'
custom_imports = dict(imports=['mmderain'], allow_failed_imports=False)
model = dict(
    type='BaseEditModel',
    generator=dict(type='PReNet', num_stages=2, mid_channels=8, num_blocks=1),
    pixel_loss=dict(type='SSIMLoss'),
    data_preprocessor=dict(
        type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.]))
"""


def test_derain_tool_tiles_reports_bad_files_fails_at_the_end_and_resumes(
        tmp_path):
    config = tmp_path / 'prenet_tiny.py'
    config.write_text(CONFIG)
    torch.manual_seed(0)
    model = init_model(Config.fromfile(str(config)), device='cpu')
    ckpt = tmp_path / 'tiny.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    rainy = tmp_path / 'rainy'
    rainy.mkdir()
    rng = np.random.default_rng(0)
    images = {
        name: rng.integers(0, 256, (20, 26, 3), np.uint8)
        for name in ('a.png', 'c.jpg')
    }
    for name, img in images.items():
        mmcv.imwrite(img, str(rainy / name))
    (rainy / 'b.png').write_bytes(b'not an image')
    out = tmp_path / 'out'
    env = dict(os.environ, OMP_NUM_THREADS='1')

    def derain(*options):
        command = [
            sys.executable,
            osp.join(ROOT, 'tools', 'derain.py'),
            str(config),
            str(ckpt),
            str(rainy / '*'), '--out',
            str(out), '--device', 'cpu', '--tile', '12', '--tile-overlap',
            '4', *options
        ]
        return subprocess.run(command,
                              cwd=ROOT,
                              env=env,
                              capture_output=True,
                              text=True,
                              timeout=300)

    result = derain()
    assert result.returncode == 1, result.stderr
    assert 'b.png' in result.stderr and 'FAILED' in result.stderr
    assert '2 of 3 images' in result.stdout
    assert sorted(os.listdir(out)) == ['a.png', 'c.jpg']
    # Resuming leaves the written results alone; b.png still fails.
    written = {name: (out / name).stat().st_mtime_ns for name in images}
    result = derain('--skip-existing')
    assert result.returncode == 1, result.stderr
    assert (f'0 of 3 images de-rained into {out}, 2 skipped (their result '
            'was already there).') in result.stdout
    assert f'FAILED {rainy / "b.png"}: ValueError' in result.stderr
    assert written == {
        name: (out / name).stat().st_mtime_ns
        for name in images
    }
    # The tiled run gives what the API gives with the same tiles.
    expected = derain_image(model,
                            mmcv.imread(str(rainy / 'a.png')),
                            tile=12,
                            tile_overlap=4)
    np.testing.assert_array_equal(mmcv.imread(str(out / 'a.png')), expected)
