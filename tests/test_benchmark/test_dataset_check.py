import os
import os.path as osp

import cv2
import pytest

from mmderain.benchmark import BenchContext
from mmderain.benchmark import dataset_check
from mmderain.benchmark.dataset_check import (RAIN100L_CONFIG,
                                              RAIN14000_CONFIG,
                                              check_timings,
                                              make_rain14000_layout,
                                              paper_datasets)

TINY = dict(num_clean=4, rain_types=2, size=(100, 120), first_id=899)


@pytest.fixture
def quick_ctx(tmp_path):
    return BenchContext(work_dir=str(tmp_path), rounds=1, command='test',
                        quick=True)


def test_layout_is_rain14000s_and_reused(tmp_path):
    root = make_rain14000_layout(str(tmp_path / 'layout'), **TINY)
    assert sorted(os.listdir(osp.join(root, 'ground_truth'))) == [
        '899.jpg', '900.jpg', '901.jpg', '902.jpg']
    assert len(os.listdir(osp.join(root, 'rainy_image'))) == 8
    # Every fourth id is portrait, its rainy images with it.
    assert cv2.imread(osp.join(root, 'rainy_image', '900_2.jpg')).shape == (
        120, 100, 3)
    assert cv2.imread(osp.join(root, 'ground_truth', '901.jpg')).shape == (
        100, 120, 3)
    clean = cv2.imread(osp.join(root, 'ground_truth', '899.jpg')).astype(int)
    rainy = cv2.imread(osp.join(root, 'rainy_image', '899_1.jpg')).astype(int)
    # Rain brightens some pixels of the clean image, not the whole image.
    brighter = (rainy - clean).max(axis=2) > 40
    assert 0.001 < brighter.mean() < 0.2
    stamp = osp.getmtime(osp.join(root, 'ground_truth', '899.jpg'))
    make_rain14000_layout(root, **TINY)
    assert osp.getmtime(osp.join(root, 'ground_truth', '899.jpg')) == stamp
    make_rain14000_layout(root, **dict(TINY, rain_types=3))
    assert osp.isfile(osp.join(root, 'rainy_image', '899_3.jpg'))


def test_paper_datasets_leave_out_a_missing_validation_set(
        tmp_path, monkeypatch):
    config = osp.abspath(RAIN100L_CONFIG)
    monkeypatch.chdir(tmp_path)
    [(split, dataset)] = paper_datasets(config)
    assert (split, dataset['data_root']) == ('train', 'data/RainTrainL')
    (tmp_path / 'data' / 'Rain100L').mkdir(parents=True)
    assert [(split, dataset['data_root'])
            for split, dataset in paper_datasets(config)] == [
                ('train', 'data/RainTrainL'), ('val', 'data/Rain100L')]


def test_timings_cover_both_splits_and_see_a_bad_file(tmp_path, quick_ctx):
    root = make_rain14000_layout(str(tmp_path / 'layout'), **TINY)
    datasets = paper_datasets(RAIN14000_CONFIG, root)
    assert [split for split, _ in datasets] == ['train', 'val']
    found = check_timings(quick_ctx, datasets)
    # Train: ids 899-900 (Rain12600), val: 901-902; one grid patch a pair.
    assert (found['pairs'], found['files'], found['train_length']) == (8, 12,
                                                                       4)
    assert all(found[key] > 0 for key in ('check', 'with_check',
                                          'without_check', 'cold_check'))
    path = osp.join(root, 'rainy_image', '901_2.jpg')
    with open(path, 'r+b') as file:
        file.truncate(osp.getsize(path) // 2)
    with pytest.raises(ValueError, match='901_2.jpg'):
        check_timings(quick_ctx, datasets)


def test_dataset_check_suite_quick(quick_ctx, monkeypatch):
    monkeypatch.setattr(dataset_check, 'RAINTRAINL',
                        osp.join(quick_ctx.work_dir, 'no_such_folder'))
    figures, targets = dataset_check.dataset_check_suite(quick_ctx)
    values = {fig['name']: fig['value'] for fig in figures}
    assert values['RainTrainL: check'] is None
    missing, rain14000 = targets
    assert missing['passed'] is None
    step = values['paper training step']
    iterations = values['Rain14000 layout: iterations per epoch']
    # ceil(4 training patches / batch 18).
    assert iterations == 1
    cost = max(values['Rain14000 layout: check'],
               values['Rain14000 layout: check, cold page cache'])
    assert rain14000['value'] == pytest.approx(cost / (iterations * step))
    assert rain14000['passed'] is (rain14000['value'] <= 0.05)
    assert values['Rain14000 layout: break-even step time'] == pytest.approx(
        cost / (0.05 * iterations))
