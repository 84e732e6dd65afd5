import os
import os.path as osp

import mmcv
import numpy as np
import pytest
from tool_runs import run_tool, write_tiny_prenet

import mmderain  # noqa: F401
from mmderain.apis import derain_image

pytestmark = pytest.mark.e2e

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))



def test_derain_tool_tiles_reports_bad_files_fails_at_the_end_and_resumes(
        tmp_path):
    config, ckpt, model = write_tiny_prenet(tmp_path)
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

    def derain(*options):
        # b.png fails every run: the exit status is 1.
        return run_tool(
            osp.join(ROOT, 'tools', 'derain.py'), config, ckpt, rainy / '*',
            '--out', out, '--device', 'cpu', '--tile', '12',
            '--tile-overlap', '4', *options, returncode=1, timeout=300)

    result = derain()
    assert 'b.png' in result.stderr and 'FAILED' in result.stderr
    assert '2 of 3 images' in result.stdout
    assert sorted(os.listdir(out)) == ['a.png', 'c.jpg']
    # Resuming leaves the written results alone; b.png still fails.
    written = {name: (out / name).stat().st_mtime_ns for name in images}
    result = derain('--skip-existing')
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
