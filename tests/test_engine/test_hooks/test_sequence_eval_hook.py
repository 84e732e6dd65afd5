import json

import pytest

from mmderain.engine.hooks import SequenceEvalHook


class _Runner:
    train_loop = None

    def __init__(self, work_dir):
        self.work_dir = work_dir


def _metrics(offset):
    return {
        f'{s}-Y/{m}': offset + i + (0.5 if m == 'SSIM' else 20)
        for i, s in enumerate(['a', 'b', 'h']) for m in ['PSNR', 'SSIM']
    }


def test_rows_only_from_task_end_validations(tmp_path):
    runner = _Runner(str(tmp_path))
    hook = SequenceEvalHook(['a', 'b'], ['h'], ['Y/PSNR', 'Y/SSIM'])
    hook.after_val_epoch(runner, _metrics(0))  # periodic validation
    assert hook.matrix.rows == {}
    hook.after_task(runner, 0)
    hook.after_val_epoch(runner, _metrics(0))
    hook.after_task(runner, 1)
    hook.after_val_epoch(runner, _metrics(-1))
    assert hook.matrix.task_indices == [0, 1]
    data = json.loads((tmp_path / 'sequence_eval.json').read_text())
    assert data['summary']['Y/PSNR']['backward_transfer'] == pytest.approx(-1)

    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    restored = SequenceEvalHook(['a', 'b'], ['h'], ['Y/PSNR', 'Y/SSIM'])
    restored.after_load_checkpoint(runner, checkpoint)
    assert restored.matrix.value('Y/PSNR', 1, 'b') == 20.0

    hook.after_test_epoch(runner, _metrics(0))
    test_row = json.loads((tmp_path / 'sequence_eval_test.json').read_text())
    assert test_row['rows'][0]['values']['Y/PSNR']['h'] == 22


def test_missing_metric_names_the_key(tmp_path):
    hook = SequenceEvalHook(['a', 'zz'], [], ['Y/PSNR'])
    hook.after_task(None, 0)
    with pytest.raises(KeyError, match="'zz-Y/PSNR'"):
        hook.after_val_epoch(_Runner(str(tmp_path)), _metrics(0))


def test_checkpoint_with_other_sets_is_only_an_error_when_training(tmp_path):
    runner = _Runner(str(tmp_path))
    hook = SequenceEvalHook(['a', 'b'], ['h'], ['Y/PSNR', 'Y/SSIM'])
    hook.after_task(runner, 0)
    hook.after_val_epoch(runner, _metrics(0))
    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)

    other = SequenceEvalHook(['a', 'b'], [], ['Y/PSNR'])
    other.after_load_checkpoint(runner, checkpoint)
    # Testing the checkpoint on other sets works.
    other.after_test_epoch(runner, _metrics(0))
    assert (tmp_path / 'sequence_eval_test.json').exists()
    assert other.matrix.rows == {}
