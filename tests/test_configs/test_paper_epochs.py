"""The paper-setting configs train as many iterations per epoch as PReNet's
original code (csdwren/PReNet: DerainDataset.py prepare_data_*, Im2Patch,
train_PReNet.py with batch 18, shuffle, last batch kept).

The datasets are built over fake folders with the real names, file counts
and image sizes; every file is a hard link to one uniform image per size,
so 15,000 files cost a fraction of a second and the datasets read only
headers. The expected patch counts are summed over the pairs the folders
hold, and the epoch lengths that the configs' comments state must agree
with them, so a wrong config, patch formula or stated number fails.
"""
import copy
import glob
import math
import os
import os.path as osp
import re

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmderain.engine.runner.sequential_train_loop import SequentialTrainLoop

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRENET = osp.join(ROOT, 'configs', 'prenet')
NR_SEQ = sorted(glob.glob(osp.join(ROOT, 'configs', 'nr', '*_rain_seq.py')))
RAIN_SEQ = osp.join(ROOT, 'configs', '_base_', 'sequences', 'rain_seq.py')
BATCH = 18
EPOCHS = 100

# Sizes (h, w) for the sets whose sizes vary; Rain800 lists the whole
# side-by-side file.
RAIN14000_SIZES = [(321, 481), (384, 512), (512, 384), (480, 640), (250, 360)]
RAIN800_SIZES = [(321, 962), (400, 1200), (512, 1024), (256, 640)]


def grid(height, width, stride, size=100):
    """Patches per image in PReNet's Im2Patch."""
    return (len(range(0, height - size + 1, stride)) *
            len(range(0, width - size + 1, stride)))


def stated_epochs(path, name=r'\S+'):
    """Patches, iterations per epoch and iterations in all that the comment
    of the config ``path`` states (after ``name`` where it lists several
    sets), as in "18,810 patches -> 1,045 iterations per epoch, 104,500 in
    all"."""
    with open(path) as f:
        comment = ' '.join(
            line.lstrip('#').strip() for line in f if line.startswith('#'))
    stated = re.search(
        rf'{name}\s+([\d,]+) patches.*?([\d,]+) iterations per epoch, '
        r'([\d,]+) in all', comment)
    assert stated, f'{path} states no epoch length for {name}'
    return tuple(int(n.replace(',', '')) for n in stated.groups())


class Folders:
    """Fake data/ folder; every image a hard link to one file per size."""

    def __init__(self, root):
        self.root = root
        self._sources = {}

    def link(self, path, size, ext='.png'):
        source = self._sources.get((size, ext))
        if source is None:
            source = str(self.root / f'source_{size[0]}x{size[1]}{ext}')
            assert cv2.imwrite(source, np.full((*size, 3), 128, np.uint8))
            self._sources[(size, ext)] = source
        path = self.root / 'data' / path
        path.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, path)


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """data/ with RainTrainH, RainTrainL, Rain14000 and Rain800 as released,
    and the expected patch counts of the variable-size sets."""
    folders = Folders(tmp_path_factory.mktemp('paper_epochs'))
    landscape, portrait = (321, 481), (481, 321)
    # RainTrainH as PReNet releases it: 1,800 clean images, 546 of their
    # rainy images removed (scenes shared with Rain100H).
    rng = np.random.default_rng(0)
    removed = set(rng.choice(np.arange(1, 1801), 546, replace=False))
    rain100h = 0
    for i in range(1, 1801):
        size = portrait if i % 7 == 0 else landscape
        folders.link(f'RainTrainH/norain-{i}.png', size)
        if i not in removed:
            folders.link(f'RainTrainH/rain-{i}.png', size)
            rain100h += grid(*size, stride=80)
    # RainTrainL, with the streak and region maps of the release; every
    # pair counts twice (PReNet also cuts its horizontal flip).
    rain100l = 0
    for i in range(1, 201):
        size = portrait if i % 5 == 0 else landscape
        for name in ('rain', 'norain', 'rainstreak', 'rainregion'):
            folders.link(f'RainTrainL/{name}-{i}.png', size)
        rain100l += 2 * grid(*size, stride=80)
    # Rain14000: ids 1-900 train (Rain12600), 901-1000 test.
    rain12600 = 0
    for clean_id in range(1, 1001):
        size = RAIN14000_SIZES[clean_id % len(RAIN14000_SIZES)]
        folders.link(f'Rain14000/ground_truth/{clean_id}.jpg', size, '.jpg')
        for rain_type in range(1, 15):
            folders.link(f'Rain14000/rainy_image/{clean_id}_{rain_type}.jpg',
                         size, '.jpg')
            if clean_id <= 900:
                rain12600 += grid(*size, stride=100)
    # Rain800: 700 training files, clean | rainy side by side.
    rain800 = 0
    for i in range(1, 701):
        size = RAIN800_SIZES[i % len(RAIN800_SIZES)]
        folders.link(f'Rain800/training/{i}.jpg', size, '.jpg')
        rain800 += grid(size[0], size[1] // 2, stride=80)
    return dict(
        root=str(folders.root / 'data'),
        patches=dict(
            rain100h=rain100h,
            rain100l=rain100l,
            rain14000=rain12600,
            rain800=rain800))


def relocate(loader, root):
    """A copy of a dataloader config reading from the fake ``root``."""
    loader = copy.deepcopy(loader)
    datasets = loader.dataset.get('datasets', [loader.dataset])
    for dataset in datasets:
        assert dataset.data_root.startswith('data/'), dataset.data_root
        dataset.data_root = root + dataset.data_root[len('data'):]
        # Packing the data list into one buffer (and the garbage collection
        # mmengine runs for it) is most of the build time here; the
        # lengths do not depend on it.
        dataset.serialize_data = False
    return loader


def test_the_folders_hold_the_released_sets(data):
    # The counts the configs' comments and the NR paper (Sec. 4.1) give:
    # RainTrainH 1,254 pairs, RainTrainL 200, Rain800 700 training images,
    # Rain14000 12,600 training images of 900 scenes x 14 rain types.
    def count(pattern):
        return len(glob.glob(osp.join(data['root'], pattern)))

    assert count('RainTrainH/rain-*.png') == 1254
    assert count('RainTrainL/rain-*.png') == 200
    assert count('Rain800/training/*.jpg') == 700
    rainy = glob.glob(osp.join(data['root'], 'Rain14000/rainy_image/*.jpg'))
    assert len(rainy) == 14000
    assert sum(
        int(osp.basename(p).split('_')[0]) <= 900 for p in rainy) == 12600


@pytest.mark.parametrize('name', ['rain100h', 'rain100l', 'rain800',
                                  'rain14000'])
def test_prenet_100e_epochs_match_the_original(data, name):
    cfg = Config.fromfile(osp.join(PRENET, f'prenet_100e_{name}.py'))
    assert cfg.train_cfg.type == 'EpochBasedTrainLoop'
    assert cfg.train_cfg.max_epochs == EPOCHS
    loader_cfg = relocate(cfg.train_dataloader, data['root'])
    assert loader_cfg.batch_size == BATCH
    assert not loader_cfg.get('drop_last', False)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    patches = data['patches'][name]
    assert len(loader.dataset) == patches
    assert len(loader) == math.ceil(patches / BATCH)
    if name in ('rain100h', 'rain100l'):
        # Fixed-size sets: the config states its epoch in numbers.
        path = osp.join(PRENET, f'prenet_100e_{name}.py')
        assert stated_epochs(path) == (patches, len(loader),
                                       EPOCHS * len(loader))
    # Every sample is one 100x100 patch of a pair.
    item = loader.dataset[len(loader.dataset) - 1]
    assert tuple(item['inputs'].shape) == (3, 100, 100)
    assert tuple(item['data_samples'].gt_img.shape) == (3, 100, 100)


@pytest.fixture(scope='module')
def task_lengths(data):
    """Iterations of every task of every NR paper config, built once per
    distinct dataloader."""
    # Module fixtures come before the suite's autouse scope fixture.
    init_default_scope('mmagic')
    built = {}
    lengths = {}
    for path in NR_SEQ:
        cfg = Config.fromfile(path)
        for index, task in enumerate(cfg.train_cfg.tasks):
            loader_cfg = relocate(task.dataloader, data['root'])
            key = repr(loader_cfg.to_dict())
            if key not in built:
                built[key] = Runner.build_dataloader(loader_cfg, seed=0)
            lengths[osp.basename(path), task.name] = (
                SequentialTrainLoop._task_length(task, built[key],
                                                 f'tasks[{index}]'),
                built[key])
    return lengths


@pytest.mark.parametrize('path', NR_SEQ, ids=osp.basename)
def test_nr_task_epochs_match_the_original(data, task_lengths, path):
    cfg = Config.fromfile(path)
    tasks = cfg.train_cfg.tasks
    for task in tasks:
        assert task.max_epochs == EPOCHS
        assert task.dataloader.batch_size == BATCH
        assert task.dataloader.sampler.type == 'InfiniteSampler'
        iters, loader = task_lengths[osp.basename(path), task.name]
        if task.name == 'mix':
            patches = sum(data['patches'].values())
        else:
            patches = data['patches'][task.name]
        # One epoch = one pass over the patch grid in batches of 18.
        assert len(loader.dataset) == patches
        assert iters == EPOCHS * math.ceil(patches / BATCH), task.name
    if len(tasks) == 4:
        assert [t.name for t in tasks] == [
            'rain100h', 'rain800', 'rain14000', 'rain100l'
        ]
        for name in ('rain100h', 'rain100l'):
            iters, loader = task_lengths[osp.basename(path), name]
            assert stated_epochs(RAIN_SEQ, name) == (
                data['patches'][name], len(loader), iters)
