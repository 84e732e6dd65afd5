import csv
import json

import pytest

from mmderain.evaluation import SequenceMatrix

# PSNR after task i (rows) on sets a, b, c (tasks) and h (held out).
TABLE = [
    [30.0, 20.0, 21.0, 25.0],
    [27.0, 31.0, 22.0, 26.0],
    [26.0, 29.0, 33.0, 27.0],
]


def _matrix(rows=3):
    matrix = SequenceMatrix(['a', 'b', 'c'], ['h'], ['Y/PSNR'])
    for i in range(rows):
        matrix.set_row(i, f't{i}',
                       {'Y/PSNR': dict(zip(['a', 'b', 'c', 'h'], TABLE[i]))})
    return matrix


def test_summaries_match_hand_values():
    matrix = _matrix()
    assert matrix.average('Y/PSNR') == pytest.approx((26 + 29 + 33) / 3)
    # BWT = mean(R[2,0]-R[0,0], R[2,1]-R[1,1]) = mean(-4, -2).
    assert matrix.backward_transfer('Y/PSNR') == pytest.approx(-3.0)
    # forgetting = mean(max(30, 27) - 26, max(31) - 29) = mean(4, 2).
    assert matrix.forgetting('Y/PSNR') == pytest.approx(3.0)
    assert matrix.summary()['Y/PSNR']['generalization'] == {'h': 27.0}

    partial = _matrix(rows=2)
    assert partial.backward_transfer('Y/PSNR') == pytest.approx(-3.0)
    single = _matrix(rows=1)
    assert single.backward_transfer('Y/PSNR') is None
    assert single.forgetting('Y/PSNR') is None


def test_writes_json_csv_and_heatmap(tmp_path):
    matrix = _matrix()
    paths = matrix.save_all(str(tmp_path), 'seq')
    with open(paths[0]) as f:
        data = json.load(f)
    assert data['summary']['Y/PSNR']['backward_transfer'] == pytest.approx(-3)
    again = SequenceMatrix.from_dict(data)
    assert again.value('Y/PSNR', 1, 'b') == 31.0
    with open(paths[1]) as f:
        lines = list(csv.reader(f))
    assert lines[0] == [
        'after_task', 'task_name', 'metric', 'a', 'b', 'c', 'h'
    ]
    assert lines[2][:3] == ['1', 't1', 'Y/PSNR'] and float(lines[2][4]) == 31
    with open(paths[2], 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_rejects_incomplete_rows():
    matrix = SequenceMatrix(['a'], ['h'], ['Y/PSNR'])
    with pytest.raises(KeyError, match='lacks Y/PSNR on h'):
        matrix.set_row(0, 't0', {'Y/PSNR': {'a': 1.0}})
    with pytest.raises(ValueError, match='distinct'):
        SequenceMatrix(['a', 'a'])
