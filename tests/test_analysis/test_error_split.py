import numpy as np
import pytest
from tool_runs import write_tiny_prenet

from mmderain.analysis import error_split_report, mean_row, split_error
from mmderain.analysis.error_split import y_channel


def _pair():
    rng = np.random.default_rng(0)
    gt = rng.integers(60, 180, (32, 32, 3)).astype(np.uint8)
    rainy = gt.copy()
    rainy[:, 12] += 50  # one bright streak: 32 of 1024 pixels
    return gt, rainy


def test_parts_add_up_and_a_perfect_removal_clears_the_streak():
    gt, rainy = _pair()
    row = split_error(rainy, gt.copy(), gt)
    assert row['changed_fraction'] == pytest.approx(32 / 1024)
    assert row['output_mse_changed'] == 0 and row['output_mse_rest'] == 0
    assert row['input_mse_rest'] == 0
    err = y_channel(rainy) - y_channel(gt)
    mse = np.mean(err**2)
    assert row['input_mse_changed'] == pytest.approx(mse)
    assert row['input_psnr'] == pytest.approx(10 * np.log10(255**2 / mse))


def test_a_model_that_darkens_the_rest_shows_it_outside_the_mask():
    gt, rainy = _pair()
    darker = rainy.copy()
    darker[:, :5] -= 4
    row = split_error(rainy, darker, gt)
    # The streak is untouched; the rest lost 4 levels in 5 of 32 columns.
    assert row['output_mse_changed'] == pytest.approx(
        row['input_mse_changed'])
    assert row['output_mse_rest'] > row['input_mse_rest'] == 0
    assert row['mean_shift'] < 0
    assert row['output_psnr'] < row['input_psnr']
    mean = mean_row([row, split_error(rainy, gt, gt)])
    assert mean['output_mse_rest'] == pytest.approx(
        row['output_mse_rest'] / 2)
    with pytest.raises(ValueError, match='differ in shape'):
        split_error(rainy, darker[:8], gt)


def test_report_runs_a_model_on_files_with_a_gt_template(tmp_path):
    import mmcv
    gt, rainy = _pair()
    for folder in ('a', 'b'):
        mmcv.imwrite(rainy, str(tmp_path / folder / 'rain-1.png'))
        mmcv.imwrite(gt, str(tmp_path / folder / 'norain-1.png'))
    config, ckpt, _ = write_tiny_prenet(tmp_path)
    inputs = [str(tmp_path / f / 'rain-1.png') for f in ('a', 'b')]
    rows = error_split_report(inputs, (str(config), str(ckpt)),
                              '{dir}/no{name}', crop=16, device='cpu')
    assert [r['name'] for r in rows] == inputs
    # The crop keeps the streak's column: 16 of 256 pixels.
    assert rows[0]['changed_fraction'] == pytest.approx(16 / 256)
    assert {k: v for k, v in rows[0].items() if k != 'name'} == {
        k: v for k, v in rows[1].items() if k != 'name'}
    with pytest.raises(FileNotFoundError, match='norain-2.png'):
        error_split_report([str(tmp_path / 'a' / 'rain-2.png')],
                           (str(config), str(ckpt)), '{dir}/no{name}')


def test_by_change_bins_a_removed_streak_and_a_false_detection():
    from mmderain.analysis import mean_change_rows, split_by_change
    gt, rainy = _pair()
    output = gt.copy()  # the streak removed (50 levels, toward the truth)
    output[:, 3] -= 30  # and a rain-free column changed by 30 levels
    rows = split_by_change(rainy, output, gt, edges=(0, 4, 16))
    assert [(r['region'], r['low'], r['high']) for r in rows] == [
        ('changed', 0, 4), ('changed', 4, 16), ('changed', 16, float('inf')),
        ('rest', 0, 4), ('rest', 4, 16), ('rest', 16, float('inf'))
    ]
    by = {(r['region'], r['low']): r for r in rows}
    # Y moves by about 0.86 of an RGB change: both columns are >= 16.
    assert by['changed', 16]['share'] == pytest.approx(32 / 1024)
    assert by['changed', 16]['toward'] == pytest.approx(32 / 1024)
    assert by['rest', 16]['share'] == pytest.approx(32 / 1024)
    assert by['rest', 16]['toward'] == 0
    assert by['rest', 0]['share'] == pytest.approx(960 / 1024)
    assert by['rest', 0]['delta_mse'] == 0
    split = split_error(rainy, output, gt)
    assert by['changed', 16]['delta_mse'] == pytest.approx(
        split['output_mse_changed'] - split['input_mse_changed'])
    assert by['rest', 16]['delta_mse'] == pytest.approx(
        split['output_mse_rest'] - split['input_mse_rest'])
    assert sum(r['share'] for r in rows) == pytest.approx(1)
    mean = mean_change_rows([rows, split_by_change(rainy, rainy, gt,
                                                   edges=(0, 4, 16))])
    assert mean[2]['share'] == pytest.approx(16 / 1024)
    assert mean[3]['share'] == pytest.approx((960 + 1024 - 32) / 2048)
    for edges in ((1, 2), (0, 4, 4), ()):
        with pytest.raises(ValueError, match='edges must increase'):
            split_by_change(rainy, output, gt, edges=edges)
    with pytest.raises(ValueError, match='split_by_change: .* differ'):
        split_by_change(rainy, output[:8], gt)
