import os
import os.path as osp

import pytest

from mmderain.evaluation import SequenceMatrix, compare_runs, comparison_table
from mmderain.evaluation.nr_report import run_dir


def _run(values):
    matrix = SequenceMatrix(['a', 'b'], ['h'], ['Y/PSNR', 'Y/SSIM'])
    for i, row in enumerate(values):
        matrix.set_row(
            i, f't{i}', {
                'Y/PSNR': dict(zip('abh', row)),
                'Y/SSIM': {s: v / 40
                           for s, v in zip('abh', row)}
            })
    return matrix


def test_table_has_summaries_and_final_values(tmp_path):
    results = {
        'NR': _run([[30, 20, 25], [29, 31, 27]]),
        'Mix': _run([[28, 30, 26]]),
    }
    table = comparison_table(results, times={'NR': 120.0})
    lines = table.splitlines()
    assert lines[0].startswith('| Method | tasks | avg Y/PSNR | avg Y/SSIM')
    nr = next(line for line in lines if line.startswith('| NR |'))
    assert '| 30.00 |' in nr  # average of 29 and 31
    assert '| -1.00 |' in nr  # BWT on PSNR
    assert '| 27.00 |' in nr and '2.0 min' in nr
    mix = next(line for line in lines if line.startswith('| Mix |'))
    assert 'n/a' in mix
    assert '| Method | a Y/PSNR | a Y/SSIM | b Y/PSNR' in table

    for label, matrix in results.items():
        os.makedirs(run_dir(str(tmp_path), label))
        matrix.save_json(
            osp.join(run_dir(str(tmp_path), label), 'sequence_eval.json'))
    text = compare_runs({'NR': 'x.py', 'Mix': 'y.py'}, str(tmp_path),
                        train=False)
    assert text == (tmp_path / 'comparison.md').read_text()


def test_mismatched_runs_are_rejected(tmp_path):
    other = SequenceMatrix(['a', 'c'], ['h'], ['Y/PSNR', 'Y/SSIM'])
    other.set_row(0, 't', {
        m: {'a': 1, 'c': 1, 'h': 1}
        for m in ['Y/PSNR', 'Y/SSIM']
    })
    with pytest.raises(ValueError, match='evaluated on'):
        comparison_table({'x': _run([[1, 2, 3]]), 'y': other})
    with pytest.raises(FileNotFoundError, match='sequence_eval.json'):
        compare_runs({'z': 'z.py'}, str(tmp_path), train=False)


def test_run_dirs_are_slugs(tmp_path):
    assert run_dir('root', 'NR (free-rank)') == osp.join(
        'root', 'nr-free-rank')
    with pytest.raises(ValueError, match='label'):
        run_dir('root', '()')
