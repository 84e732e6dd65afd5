import csv
import json
import os
import os.path as osp

import pytest

from mmderain.evaluation import SequenceMatrix, comparison_table
from mmderain.experiments import compare_runs, replace_marked_block
from mmderain.experiments.nr_compare import run_dir


def _run(values, extra='h'):
    matrix = SequenceMatrix(['a', 'b'], list(extra), ['Y/PSNR', 'Y/SSIM'])
    sets = ['a', 'b'] + list(extra)
    for i, row in enumerate(values):
        matrix.set_row(
            i, f't{i}', {
                'Y/PSNR': dict(zip(sets, row)),
                'Y/SSIM': {s: v / 40
                           for s, v in zip(sets, row)}
            })
    return matrix


def _config(path, optional=None):
    """A config file whose only evaluation set may be optional."""
    loader = dict(dataset=dict(data_root='data/R'))
    if optional:
        loader['optional_name'] = optional
    path.write_text(f'val_dataloader = [{loader!r}]\n')
    return str(path)


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
    config = _config(tmp_path / 'x.py')
    text = compare_runs({'NR': config, 'Mix': config}, str(tmp_path),
                        train=False)
    assert text == (tmp_path / 'comparison.md').read_text()
    assert 'Note' not in text


def test_optional_set_column_and_note_when_absent(tmp_path):
    # 'r' is an optional set (real rain): NR was evaluated on it, SI not.
    results = {
        'NR': _run([[30, 20, 25, 18]], extra='hr'),
        'SI': _run([[29, 21, 24]]),
    }
    for label, matrix in results.items():
        os.makedirs(run_dir(str(tmp_path), label))
        matrix.save_json(
            osp.join(run_dir(str(tmp_path), label), 'sequence_eval.json'))
    config = _config(tmp_path / 'c.py', optional='r')
    text = compare_runs({'NR': config, 'SI': config}, str(tmp_path),
                        train=False)
    lines = text.splitlines()
    assert lines[0].endswith('| h Y/PSNR | h Y/SSIM | r Y/PSNR | r Y/SSIM |')
    nr = next(line for line in lines if line.startswith('| NR |'))
    si = next(line for line in lines if line.startswith('| SI |'))
    assert nr.endswith('| 25.00 | 0.6250 | 18.00 | 0.4500 |')
    assert si.endswith('| 24.00 | 0.6000 | n/a | n/a |')
    assert lines[-1] == (
        'Note: r was not evaluated in SI: its data folder data/R is '
        'missing. Link the data there (see docs/en/datasets.md) and rerun '
        'to get its column.')


def test_note_names_a_config_without_the_set(tmp_path, monkeypatch):
    # The folder is there; SI's config simply has no such set.
    monkeypatch.chdir(tmp_path)
    os.makedirs('data/R')
    results = {
        'NR': _run([[30, 20, 25, 18]], extra='hr'),
        'SI': _run([[29, 21, 24]]),
    }
    for label, matrix in results.items():
        os.makedirs(run_dir('runs', label))
        matrix.save_json(
            osp.join(run_dir('runs', label), 'sequence_eval.json'))
    text = compare_runs(
        {
            'NR': _config(tmp_path / 'nr.py', optional='r'),
            'SI': _config(tmp_path / 'si.py')
        },
        'runs',
        train=False)
    assert text.splitlines()[-1] == (
        'Note: r was not evaluated in SI: its config declares no such set '
        '(only the config of NR does).')


def test_mismatched_runs_are_rejected(tmp_path):
    other = SequenceMatrix(['a', 'c'], ['h'], ['Y/PSNR', 'Y/SSIM'])
    other.set_row(0, 't', {
        m: {'a': 1, 'c': 1, 'h': 1}
        for m in ['Y/PSNR', 'Y/SSIM']
    })
    with pytest.raises(ValueError, match='task sets'):
        comparison_table({'x': _run([[1, 2, 3]]), 'y': other})
    with pytest.raises(FileNotFoundError, match='sequence_eval.json'):
        compare_runs({'z': 'z.py'}, str(tmp_path), train=False)


def test_run_dirs_are_slugs(tmp_path):
    assert run_dir('root', 'NR (free-rank)') == osp.join(
        'root', 'nr-free-rank')
    with pytest.raises(ValueError, match='label'):
        run_dir('root', '()')


def _save_runs(root, results):
    for label, matrix in results.items():
        os.makedirs(run_dir(str(root), label))
        matrix.save_json(
            osp.join(run_dir(str(root), label), 'sequence_eval.json'))


def test_report_files_and_data_driven_columns(tmp_path):
    results = {
        'NR': _run([[30, 20, 25], [29, 31, 27]]),
        'SI': _run([[28, 30, 26], [20, 32, 24]]),
    }
    _save_runs(tmp_path, results)
    # A quantity measured by someone else becomes a column of that run.
    with open(osp.join(run_dir(str(tmp_path), 'SI'), 'run_info.json'),
              'w') as f:
        json.dump({'extra memory (MiB)': 1.5}, f)
    with open(osp.join(run_dir(str(tmp_path), 'NR'), 'train_time_s.txt'),
              'w') as f:
        f.write('600\n')
    config = _config(tmp_path / 'x.py')
    out = tmp_path / 'report'
    text = compare_runs({'NR': config, 'SI': config},
                        str(tmp_path),
                        train=False,
                        out_dir=str(out))
    assert text == (out / 'comparison.md').read_text()
    header = text.splitlines()[0]
    assert header.endswith('| train time | extra memory (MiB) |')
    si = next(line for line in text.splitlines() if line.startswith('| SI |'))
    assert si.endswith('| n/a | 1.5 |')

    with open(out / 'comparison_summary.csv') as f:
        summary = list(csv.DictReader(f))
    assert [row['Method'] for row in summary] == ['NR', 'SI']
    # Raw values, not the rounded Markdown ones: SI's BWT is 20 - 28.
    assert float(summary[1]['BWT Y/PSNR']) == -8.0
    assert summary[0]['extra memory (MiB)'] == ''
    assert summary[0]['train time'] == '10.0 min'
    with open(out / 'comparison_final.csv') as f:
        final = list(csv.reader(f))
    assert final[0][:3] == ['Method', 'a Y/PSNR', 'a Y/SSIM']
    assert final[2][:3] == ['SI', '20.0', '0.5']
    for name in ('comparison_final.png', 'matrix_nr.png', 'matrix_si.png',
                 'matrix_nr.csv'):
        assert (out / name).stat().st_size > 0, name


def test_no_train_leaves_out_unfinished_and_missing_runs(tmp_path):
    _save_runs(tmp_path, {'NR': _run([[30, 20, 25]])})
    config = tmp_path / 'seq.py'
    config.write_text('train_cfg = dict(tasks=[dict(name="a"), '
                      'dict(name="b")])\nval_dataloader = []\n')
    text = compare_runs({
        'NR': str(config),
        'Mix': str(config)
    },
                        str(tmp_path),
                        train=False)
    notes = [line for line in text.splitlines() if line.startswith('Note')]
    assert 'Mix has no results' in notes[0]
    assert notes[1].startswith('Note: NR finished 1 of its 2 tasks')
    assert '| Mix |' not in text


def test_replace_marked_block(tmp_path):
    readme = tmp_path / 'README.md'
    readme.write_text('intro quoting `<!-- t:end -->`\n'
                      '<!-- t:start (generated; do not edit) -->\n'
                      'old table\n<!-- t:end -->\nrest\n')
    replace_marked_block(str(readme), 't', '| new |\n')
    assert readme.read_text() == (
        'intro quoting `<!-- t:end -->`\n'
        '<!-- t:start (generated; do not edit) -->\n| new |\n'
        '<!-- t:end -->\nrest\n')
    replace_marked_block(str(readme), 't', '| newer |')
    assert '| newer |\n<!-- t:end -->' in readme.read_text()
    with pytest.raises(ValueError, match=r'README.md must contain one'):
        replace_marked_block(str(readme), 'other', 'x')
    readme.write_text('<!-- t:end -->\n<!-- t:start -->\n')
    with pytest.raises(ValueError, match='t:start'):
        replace_marked_block(str(readme), 't', 'x')


def test_demo_optional_sets_are_columns_or_notes(tmp_path, monkeypatch):
    # The NR demo's three optional sets: NR was evaluated on all of them,
    # SI on RainTrainL's held-out split only; in tmp_path every data folder
    # is missing, so SI's two gaps are notes, the second saying how to make
    # the real pairs.
    demo = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'nr',
                    'prenet_nr_demo_rendered_seq.py')
    monkeypatch.chdir(tmp_path)
    sets = ['public-raintrainl-heldout-c192', 'public-raintrainh-c192',
            'real-video-c192']
    results = {
        'NR': _run([[30, 20, 25, 28, 18, 33]], extra=['h'] + sets),
        'SI': _run([[29, 21, 24, 27]], extra=['h', sets[0]]),
    }
    for label, matrix in results.items():
        os.makedirs(run_dir('runs', label))
        matrix.save_json(
            osp.join(run_dir('runs', label), 'sequence_eval.json'))
    text = compare_runs({'NR': demo, 'SI': demo}, 'runs', train=False)
    lines = text.splitlines()
    assert lines[0].endswith(' | '.join(f'{s} Y/PSNR | {s} Y/SSIM'
                                        for s in sets) + ' |')
    si = next(line for line in lines if line.startswith('| SI |'))
    assert si.endswith('| 27.00 | 0.6750 | n/a | n/a | n/a | n/a |')
    # (Besides the notes that the one-row runs stopped after task 1.)
    notes = [line for line in lines if 'was not evaluated' in line]
    assert notes[0] == (
        'Note: public-raintrainh-c192 was not evaluated in SI: its data '
        'folder data/RainTrainH is missing. Link the data there (see '
        'docs/en/datasets.md) and rerun to get its column.')
    assert notes[1].startswith(
        'Note: real-video-c192 was not evaluated in SI: its data folder '
        'data/real_video_pairs is missing. Make these real rainy/clean pairs')
    assert len(notes) == 2
