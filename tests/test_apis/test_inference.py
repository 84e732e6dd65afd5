import builtins
import errno
import os
import os.path as osp

import cv2
import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config

import mmderain  # noqa: F401
from mmagic.registry import MODELS
from mmderain.apis import (DerainInferencer, derain_files, derain_image,
                           init_model, list_images, read_image)
from mmderain.apis import inference
from mmderain.apis.inference import MAX_FULL_WRITES
from mmderain.engine.hooks import WeightMismatchError
from mmderain.utils import CheckpointRefusedError, FileWriteError
from mmderain.utils import atomic_files

MODEL = dict(type='BaseEditModel',
             generator=dict(type='PReNet',
                            num_stages=2,
                            mid_channels=8,
                            num_blocks=1),
             pixel_loss=dict(type='SSIMLoss'),
             data_preprocessor=dict(type='DataPreprocessor',
                                    mean=[0., 0., 0.],
                                    std=[255., 255., 255.]))


AGLF_VIT_DEMO = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
    'ttl', 'aglf-vit_v2_demo_embedded.py')


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b)**2)
    return float('inf') if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.fixture
def model():
    torch.manual_seed(0)
    return init_model(Config(dict(model=MODEL)), device='cpu')


def test_derain_image_matches_generator_and_loads_checkpoint(tmp_path):
    torch.manual_seed(0)
    model = init_model(Config(dict(model=MODEL)))
    ckpt = tmp_path / 'model.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    loaded = init_model(Config(dict(model=MODEL)), str(ckpt))
    img = np.random.default_rng(0).integers(0, 256, (40, 41, 3), np.uint8)
    out = derain_image(loaded, img, size_divisor=8, channel_order='rgb')
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
    np.testing.assert_array_equal(
        derain_image(loaded, img, channel_order='rgb'), ref)


def test_derain_image_takes_and_returns_bgr_by_default(model):
    rgb = np.random.default_rng(1).integers(0, 256, (12, 10, 3), np.uint8)
    from_rgb = derain_image(model, rgb, channel_order='rgb')
    from_bgr = derain_image(model, np.ascontiguousarray(rgb[..., ::-1]))
    np.testing.assert_array_equal(from_bgr, from_rgb[..., ::-1])
    # The network is not symmetric in the channels: the order matters.
    assert not np.array_equal(derain_image(model, rgb), from_rgb)


def test_tiled_output_has_no_seams(model):
    # PReNet with 2 stages sees 24 pixels around each output pixel; tiles of
    # 16 pixels put most pixels near a tile border.
    img = np.random.default_rng(0).integers(0, 256, (48, 56, 3), np.uint8)
    whole = derain_image(model, img, tile=0)
    assert psnr(whole, img) < 30  # the network changes the image
    calls = []
    tiled = derain_image(model,
                         img,
                         tile=16,
                         tile_overlap=6,
                         progress=lambda: calls.append(1))
    assert psnr(tiled, whole) > 45
    assert len(calls) > 4
    # Without blending the seams show (the test can fail).
    assert psnr(derain_image(model, img, tile=16, tile_overlap=0), whole) < 45


def test_derain_image_rejects_bad_images(model):
    with pytest.raises(ValueError, match='uint8'):
        derain_image(model, np.zeros((8, 8, 3), np.float32))
    with pytest.raises(ValueError, match=r'\(H, W, 3\)'):
        derain_image(model, np.zeros((8, 8), np.uint8))
    with pytest.raises(ValueError, match='channel_order'):
        derain_image(model, np.zeros((8, 8, 3), np.uint8), channel_order='x')


def test_inferencer_takes_arrays_and_paths(tmp_path, model):
    img = np.random.default_rng(2).integers(0, 256, (9, 11, 3), np.uint8)
    path = str(tmp_path / 'rainy.png')
    mmcv.imwrite(img, path)
    torch.manual_seed(0)
    inferencer = DerainInferencer(Config(dict(model=MODEL)), device='cpu')
    expected = derain_image(model, img)
    np.testing.assert_array_equal(inferencer(img), expected)
    out_dir = tmp_path / 'out'
    results = inferencer([path, img], out_dir=str(out_dir))
    assert isinstance(results, list) and len(results) == 2
    np.testing.assert_array_equal(results[0], expected)
    np.testing.assert_array_equal(mmcv.imread(str(out_dir / 'rainy.png')),
                                  expected)
    assert osp.isfile(out_dir / '1.png')


class RunsACommand:
    """Unpickling it would create ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_init_model_refuses_missing_and_hostile_checkpoints(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        init_model(str(tmp_path / 'nope.py'))
    with pytest.raises(CheckpointRefusedError, match='nope.pth'):
        init_model(Config(dict(model=MODEL)), str(tmp_path / 'nope.pth'))
    marker = tmp_path / 'ran'
    hostile = tmp_path / 'hostile.pth'
    torch.save(dict(state_dict={}, meta=RunsACommand(marker)), hostile)
    with pytest.raises(CheckpointRefusedError, match='hostile.pth'):
        DerainInferencer(Config(dict(model=MODEL)), str(hostile))
    assert not marker.exists()


def _prenet_cfg(mid_channels=4):
    return Config(
        dict(
            model=dict(
                MODEL,
                generator=dict(
                    MODEL['generator'],
                    num_stages=1,
                    mid_channels=mid_channels))))


def test_init_model_refuses_weights_of_another_model(tmp_path):
    wide = tmp_path / 'prenet32.pth'
    torch.save(dict(state_dict=init_model(_prenet_cfg(32)).state_dict()),
               wide)
    with pytest.raises(WeightMismatchError) as info:
        init_model(_prenet_cfg(4), str(wide))
    message = str(info.value)
    assert f'"{wide}"' in message
    assert 'BaseEditModel (generator PReNet)' in message
    assert ('generator.conv_in.weight [32, 6, 3, 3] vs [4, 6, 3, 3]'
            in message)

    vit = tmp_path / 'aglf-vit.pth'
    aglf = MODELS.build(Config.fromfile(AGLF_VIT_DEMO).model)
    torch.save(dict(state_dict=aglf.state_dict()), vit)
    with pytest.raises(WeightMismatchError) as info:
        init_model(_prenet_cfg(4), str(vit))
    message = str(info.value)
    assert ('missing keys (model shape): generator.conv_in.weight '
            '[4, 6, 3, 3]') in message
    assert 'unexpected keys (checkpoint shape): generator.encoder.' in message
    assert '0 of its' in message

    bare = tmp_path / 'generator.pth'
    torch.save(init_model(_prenet_cfg(4)).generator.state_dict(), bare)
    with pytest.raises(WeightMismatchError, match='those of `generator`'):
        init_model(_prenet_cfg(4), str(bare))


def test_init_model_partial_load_is_explicit(tmp_path):
    source = init_model(_prenet_cfg(4))
    state = source.state_dict()
    del state['generator.conv_out.bias']
    state['generator.extra.weight'] = torch.ones(2)
    partial = tmp_path / 'partial.pth'
    torch.save(state, partial)
    with pytest.raises(WeightMismatchError,
                       match=r'1 missing keys .*conv_out\.bias \[3\]; 1 '
                       r'unexpected keys .*extra\.weight \[2\]'):
        init_model(_prenet_cfg(4), str(partial))
    loaded = init_model(_prenet_cfg(4), str(partial), strict=False)
    assert torch.equal(loaded.generator.conv_in.weight,
                       source.generator.conv_in.weight)
    unrelated = tmp_path / 'unrelated.pth'
    torch.save({'generator.extra.weight': torch.ones(2)}, unrelated)
    with pytest.raises(WeightMismatchError, match='0 of its 1 weights fit'):
        init_model(_prenet_cfg(4), str(unrelated), strict=False)


def _original_layout(state):
    """PReNet weights renamed as the original code saves them."""
    out = {}
    for key, value in state.items():
        name = key[len('generator.'):]
        if name.startswith('recurrent.gates.'):
            param = name.rsplit('.', 1)[1]
            for gate, part in zip('ifgo', value.chunk(4)):
                out[f'generator.conv_{gate}.0.{param}'] = part
            continue
        name = name.replace('conv_in.', 'conv0.0.').replace(
            'conv_out.', 'conv.0.')
        if name.startswith('res_blocks.'):
            _, block, conv, param = name.split('.')
            name = (f'res_conv{int(block) + 1}.'
                    f'{0 if conv == "conv1" else 2}.{param}')
        out[f'generator.{name}'] = value
    return out


def test_init_model_accepts_keys_the_model_renames(tmp_path):
    # PReNet converts the original code's keys when it loads; the strict
    # check must judge the keys as loading sees them.
    source = init_model(_prenet_cfg(4))
    original = tmp_path / 'original.pth'
    torch.save(_original_layout(source.state_dict()), original)
    loaded = init_model(_prenet_cfg(4), str(original))
    for key, value in source.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value), key


def test_list_images_reads_files_folders_and_globs(tmp_path):
    for name in ('b.png', 'a.jpg', 'notes.txt'):
        (tmp_path / name).write_bytes(b'x')
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'c.png').write_bytes(b'x')
    assert list_images(
        str(tmp_path)) == [str(tmp_path / 'a.jpg'),
                           str(tmp_path / 'b.png')]
    assert list_images(str(tmp_path / '**' / '*.png')) == [
        str(tmp_path / 'b.png'),
        str(tmp_path / 'sub' / 'c.png')
    ]
    assert list_images(str(tmp_path /
                           'notes.txt')) == [str(tmp_path / 'notes.txt')]
    with pytest.raises(FileNotFoundError, match='matches no files'):
        list_images(str(tmp_path / '*.bmp'))
    with pytest.raises(FileNotFoundError, match='holds no images'):
        list_images(str(tmp_path / '*.txt'))


def test_read_image_names_undecodable_files(tmp_path):
    bad = tmp_path / 'bad.png'
    bad.write_bytes(b'not an image')
    with pytest.raises(ValueError, match='bad.png'):
        read_image(str(bad))
    gray = tmp_path / 'gray.png'
    mmcv.imwrite(np.full((4, 5), 7, np.uint8), str(gray))
    assert read_image(str(gray)).shape == (4, 5, 3)
    # 16-bit and RGBA files come out as 8-bit BGR, as documented.
    deep = tmp_path / 'deep.png'
    cv2.imwrite(str(deep), np.full((4, 5, 3), 65535, np.uint16))
    rgba = tmp_path / 'rgba.png'
    cv2.imwrite(str(rgba), np.full((4, 5, 4), 9, np.uint8))
    for path, value in ((deep, 255), (rgba, 9)):
        img = read_image(str(path))
        assert img.dtype == np.uint8 and img.shape == (4, 5, 3)
        assert (img == value).all()


def test_derain_files_refuses_to_overwrite_or_merge_inputs(tmp_path, model):
    for folder in ('x', 'y'):
        (tmp_path / folder).mkdir()
        mmcv.imwrite(np.zeros((4, 4, 3), np.uint8),
                     str(tmp_path / folder / 'a.png'))
    same = [str(tmp_path / 'x' / 'a.png'), str(tmp_path / 'y' / 'a.png')]
    with pytest.raises(ValueError, match='both be written'):
        derain_files(model, same, str(tmp_path / 'out'))
    with pytest.raises(ValueError, match='overwrite'):
        derain_files(model, same[:1], str(tmp_path / 'x'))
    assert not (tmp_path / 'out').exists()
    report = derain_files(model,
                          same[:1] + [str(tmp_path / 'gone.png')],
                          str(tmp_path / 'out'),
                          show_progress=False)
    assert list(report.failed) == [str(tmp_path / 'gone.png')]
    assert 'FileNotFoundError' in report.failed[str(tmp_path / 'gone.png')]
    assert report.written == same[:1] and not report.ok
    assert (tmp_path / 'out' / 'a.png').is_file()


def _rainy(folder, names):
    folder.mkdir()
    rng = np.random.default_rng(0)
    for name in names:
        mmcv.imwrite(rng.integers(0, 256, (6, 7, 3), np.uint8),
                     str(folder / name))
    return [str(folder / name) for name in names]


def _refuse_writes(monkeypatch, code, names):
    """Writes of results named in ``names`` fail with ``code`` when the
    atomic backend opens their temporary file."""

    def open_file(file, mode='r', *args, **kwargs):
        if 'x' in mode and any(f'.{n}.' in str(file) for n in names):
            raise OSError(code, os.strerror(code))
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(atomic_files, 'open', open_file, raising=False)


@pytest.fixture
def logged(monkeypatch):
    messages = []
    monkeypatch.setattr(inference, 'print_log',
                        lambda msg, *args, **kwargs: messages.append(msg))
    return messages


def test_a_failed_write_is_reported_and_the_rest_still_run(
        tmp_path, model, monkeypatch, logged):
    paths = _rainy(tmp_path / 'rainy', ['a.png', 'b.png', 'c.png'])
    out = tmp_path / 'out'
    _refuse_writes(monkeypatch, errno.ENOSPC, ['b.png'])
    # With the progress bar: an image whose tiles all ran must not advance
    # it by 0 (mmengine's ProgressBar asserts on that).
    report = derain_files(model, paths, str(out), show_progress=True)
    assert report.written == [paths[0], paths[2]]
    assert list(report.failed) == [paths[1]]
    reason = report.failed[paths[1]]
    assert reason.startswith(f'FileWriteError: Cannot write {out / "b.png"}: '
                             '[Errno 28] No space left on device.')
    assert report.stop_reason is None and report.not_run == []
    assert sorted(os.listdir(out)) == ['a.png', 'c.png']
    assert any(paths[1] in line and 'Errno 28' in line for line in logged)
    assert report.problems() == [f'FAILED {paths[1]}: {reason}']


@pytest.mark.parametrize('code', [errno.EROFS, errno.EACCES])
def test_an_unwritable_output_folder_stops_the_batch_cleanly(
        tmp_path, model, monkeypatch, logged, code):
    paths = _rainy(tmp_path / 'rainy', ['a.png', 'b.png', 'c.png'])
    out = tmp_path / 'out'
    _refuse_writes(monkeypatch, code, ['a.png', 'b.png', 'c.png'])
    report = derain_files(model, paths, str(out), show_progress=True)
    assert report.written == [] and list(report.failed) == paths[:1]
    assert report.not_run == paths[1:]
    assert report.stop_reason == (
        f'the output folder {out} refuses writes ({os.strerror(code)}).')
    problems = report.problems()
    assert problems[1:3] == [f'NOT RUN {p}' for p in paths[1:]]
    assert problems[-1].startswith(
        f'Stopped: {report.stop_reason} 0 of 3 images were written; the 3 '
        'without a result are listed above.')
    assert '--skip-existing' in problems[-1]
    assert os.listdir(out) == []


def test_a_full_disk_stops_after_consecutive_failures(tmp_path, model,
                                                      monkeypatch, logged):
    names = [f'{letter}.png' for letter in 'abcdefgh']
    paths = _rainy(tmp_path / 'rainy', names)
    # One write in between succeeds: the count of failures in a row
    # starts again.
    _refuse_writes(monkeypatch, errno.ENOSPC, ['a.png', 'b.png'] + names[3:])
    report = derain_files(model,
                          paths,
                          str(tmp_path / 'out'),
                          show_progress=False)
    assert report.written == [paths[2]]
    assert list(report.failed) == paths[:2] + paths[3:3 + MAX_FULL_WRITES]
    assert report.not_run == paths[3 + MAX_FULL_WRITES:]
    assert 'No space left on device' in report.stop_reason
    assert report.summary('out') == '1 of 8 images de-rained into out.'


def test_existing_results_are_counted_or_skipped(tmp_path, model, logged):
    paths = _rainy(tmp_path / 'rainy', ['a.png', 'b.png', 'c.png'])
    out = str(tmp_path / 'out')
    derain_files(model, paths[:2], out, show_progress=False)
    assert logged == []
    mmcv.imwrite(np.zeros((6, 7, 3), np.uint8), osp.join(out, 'b.png'))

    report = derain_files(model, paths, out, show_progress=False)
    assert report.overwritten == 2 and report.written == paths
    assert logged == [
        f'2 of the 3 results already exist in {out} and will be '
        'overwritten (--skip-existing keeps them).'
    ]
    assert report.summary(out) == (
        f'3 of 3 images de-rained into {out}, 2 earlier results '
        'overwritten.')

    logged.clear()
    mmcv.imwrite(np.zeros((6, 7, 3), np.uint8), osp.join(out, 'b.png'))
    os.remove(osp.join(out, 'c.png'))
    report = derain_files(model, paths, out, show_progress=False,
                          skip_existing=True)
    assert report.skipped == paths[:2] and report.written == paths[2:]
    assert report.overwritten == 0 and report.ok
    assert (mmcv.imread(osp.join(out, 'b.png')) == 0).all()
    assert logged == [f'2 of the 3 images already have a result in {out}; '
                      'they are skipped (--skip-existing).']
    assert report.summary(out) == (
        f'1 of 3 images de-rained into {out}, 2 skipped (their result was '
        'already there).')


def test_an_output_folder_that_cannot_be_made_fails_before_work(
        tmp_path, model):
    paths = _rainy(tmp_path / 'rainy', ['a.png'])
    (tmp_path / 'file').write_text('')
    with pytest.raises(FileWriteError,
                       match='Cannot write into the output folder .*file/'
                       'out: .*Nothing was de-rained'):
        derain_files(model, paths, str(tmp_path / 'file' / 'out'))
