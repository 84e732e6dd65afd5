import json
import mmap
import time
from queue import SimpleQueue

import pytest
import torch

from mmderain.models.editors.prenet import PReNet
from mmderain.benchmark import (BenchContext, PeakMemory, format_figures,
                                format_targets, interleave, make_figure,
                                make_target, parse_only, run_in_subprocess,
                                write_json)
from mmderain.benchmark.measure import _subprocess_entry
from mmderain.benchmark.original_prenet import OriginalPReNet
from mmderain.benchmark.train import _load_from_prenet

FIGURE_KEYS = {'suite', 'name', 'value', 'unit', 'device', 'threads',
               'batch', 'patch', 'source', 'note'}


def _check_output(figures, targets, suite):
    assert figures, 'no figures'
    for fig in figures:
        assert set(fig) == FIGURE_KEYS
        assert fig['suite'] == suite
        assert fig['value'] is None or fig['value'] >= 0
        assert fig['threads'] >= 1 and fig['source']
    for tgt in targets:
        assert tgt['passed'] is (tgt['value'] <= tgt['limit'])


def _values(figures):
    return {fig['name']: fig['value'] for fig in figures}


def test_interleave_alternates_order_and_counts():
    calls = []
    steps = {name: (lambda name=name: calls.append(name)) for name in 'abc'}
    times = interleave(steps, rounds=3, warmup=1)
    assert calls == list('abc') + list('abc') + list('cba') + list('abc')
    assert {k: len(v) for k, v in times.items()} == dict(a=3, b=3, c=3)
    with pytest.raises(ValueError, match='rounds'):
        interleave(steps, rounds=0)


def test_cpu_clock_counts_work_not_waiting():
    import time
    times = interleave(dict(wait=lambda: time.sleep(0.2)), rounds=1,
                       warmup=0, device='cpu')
    assert times['wait'][0] < 0.05


def test_peak_memory_sees_a_block_allocated_outside_python():
    with PeakMemory() as small:
        pass
    with PeakMemory() as big:
        # Fresh pages from the kernel, touched: malloc could serve a block
        # from memory that earlier tests freed but the process still holds,
        # which adds nothing to the resident set.
        block = mmap.mmap(-1, 64 * 2**20)
        block.write(b'\1' * len(block))
        block.close()
    if big.peak_bytes is None:
        pytest.skip('no /proc/self/status on this platform')
    assert big.exact
    assert big.peak_bytes >= 60 * 2**20
    assert small.peak_bytes < 16 * 2**20


@pytest.mark.e2e
def test_run_in_subprocess_returns_and_reports_errors():
    # One spawned process only: each imports torch and mmagic afresh.
    assert run_in_subprocess(divmod, 7, 2) == (3, 1)
    queue = SimpleQueue()
    _subprocess_entry(queue, divmod, (1, 0), {})
    assert queue.get() == ('error', 'ZeroDivisionError: integer division '
                           'or modulo by zero')


def test_tables_and_json(tmp_path):
    fig = make_figure('train', 'step', 0.5, 's/iter', device='cpu',
                      threads=2, source='cfg.py', batch=4, patch='64x64')
    met = make_target('ratio', 0.9, 1.0, device='cpu', detail='d')
    missed = make_target('other', 1.2, 1.0, device='cpu', detail='d')
    unknown = make_target('memory', None, 2.0, device='cpu', detail='d')
    assert (met['passed'], missed['passed'], unknown['passed']) == (True,
                                                                    False,
                                                                    None)
    table = format_figures([fig]).splitlines()
    assert len(table) == 3 and '| 0.5 | s/iter | cpu | 4 | 64x64 | 2 |' in (
        table[2])
    targets = format_targets([met, missed, unknown])
    assert '| met |' in targets and '| MISSED |' in targets
    assert 'not measured' in targets
    path = tmp_path / 'bench.json'
    write_json(str(path), 'cmd', [fig], [met])
    data = json.loads(path.read_text())
    assert data['command'] == 'cmd' and data['figures'] == [fig]
    assert data['targets'] == [met] and data['environment']['threads'] >= 1


def test_parse_only():
    assert parse_only('') == ['train', 'nr', 'importance', 'data',
                              'dataset_check', 'infer', 'onnx']
    assert parse_only('nr, data') == ['nr', 'data']
    with pytest.raises(ValueError, match='--only.*speed'):
        parse_only('speed')


def test_original_prenet_is_the_same_network():
    torch.manual_seed(0)
    ours = PReNet(num_stages=2)
    original = OriginalPReNet(num_stages=2)
    _load_from_prenet(original, ours)
    x = torch.rand(1, 3, 12, 10)
    with torch.no_grad():
        torch.testing.assert_close(original(x), ours(x), rtol=0, atol=1e-5)


@pytest.fixture
def quick_ctx(tmp_path):
    return BenchContext(work_dir=str(tmp_path), rounds=1, command='test',
                        quick=True)


def test_prenet_train_quick(quick_ctx):
    from mmderain.benchmark.train import prenet_train
    figures, targets = prenet_train(quick_ctx)
    _check_output(figures, targets, 'train')
    values = _values(figures)
    runner = values['PReNet step: mmengine Runner iteration']
    plain = values['PReNet step: plain PyTorch loop']
    original = values["PReNet step: original PReNet code's network"]
    assert len(figures) == 3
    # The targets are the ratios of the measured steps.
    assert [(t['name'], t['value'], t['limit']) for t in targets] == [
        ('PReNet mmengine step / plain PyTorch step',
         pytest.approx(runner / plain), 1.05),
        ("PReNet mmengine step / original code's step",
         pytest.approx(runner / original), 1.0),
    ]


def test_nr_step_quick(quick_ctx):
    from mmderain.benchmark.nr import nr_step
    figures, targets = nr_step(quick_ctx)
    _check_output(figures, targets, 'nr')
    values = _values(figures)
    nr = values['NR step (SC mask + KD teacher)']
    plain = values['plain step (same backbone)']
    floor = values['floor: 1 + teacher forward / plain step']
    assert floor == pytest.approx(1 + values['teacher forward alone'] / plain)
    assert targets[0]['name'] == 'NR step / plain step'
    assert targets[0]['value'] == pytest.approx(nr / plain)
    assert f'floor {floor:.2f}x' in targets[0]['detail']


def test_vmap_importance_matches_per_sample_estimate():
    from mmderain.engine.importance import estimate_importance
    from mmderain.benchmark.nr import build_nr_model, vmap_importance
    from mmderain.benchmark.runner_steps import (preprocessed, synthetic_batch)
    model = build_nr_model('configs/nr/prenet_nr_demo_rendered_seq.py', 'cpu',
                           quick=True)
    batch = synthetic_batch(3, 8)
    expected = estimate_importance(model, [batch], per_sample=True,
                                   loss_keys=['loss_pix'])
    inputs, targets = preprocessed(model, batch, 'cpu')
    summed = vmap_importance(model.generator, model.pixel_loss, inputs,
                             targets)
    for name, value in summed.items():
        torch.testing.assert_close(value / 3, expected[f'generator.{name}'],
                                   rtol=1e-4, atol=1e-7)


def test_renderer_throughput_quick(quick_ctx):
    from mmderain.benchmark.data import renderer_throughput
    start = time.perf_counter()
    figures = renderer_throughput(quick_ctx, presets=('rain100l', ))
    elapsed = time.perf_counter() - start
    _check_output(figures, [], 'data')
    [figure] = figures
    assert figure['unit'] == 'samples/s' and figure['patch'] == '16x16'
    assert figure['note'] == '4 samples, one process'
    # Its 4 timed samples took part of the call's time: at least as many
    # per second as over the whole call.
    assert figure['value'] >= 4 / elapsed


def test_large_image_run_quick(monkeypatch):
    from mmderain.benchmark import infer
    calls = []

    def derain_image(model, img, tile):
        calls.append((img.shape, tile, model.generator.num_stages))
        return real_derain_image(model, img, tile=tile)

    # A clock that reads 10 s before the run and 12.5 s after it.
    readings = iter([10.0, 12.5])
    real_derain_image = infer.derain_image
    monkeypatch.setattr(infer, 'derain_image', derain_image)
    monkeypatch.setattr(infer, 'step_clock',
                        lambda device: lambda: next(readings))
    result = infer.large_image_run(infer.PRENET_CONFIG, 'cpu', 64, 80,
                                   num_stages=1, tile=48)
    assert calls == [((64, 80, 3), 48, 1)]
    assert result['seconds'] == 2.5
    assert result['peak'] is None or result['peak'] >= 0


def test_tool_rejects_unknown_sub_benchmark(tmp_path, monkeypatch):
    import runpy
    monkeypatch.setattr('sys.argv', [
        'benchmark.py', '--only', 'bogus', '--work-dir',
        str(tmp_path)
    ])
    with pytest.raises(ValueError, match='bogus'):
        runpy.run_path('tools/analysis_tools/benchmark.py',
                       run_name='__main__')


def test_channels_last_hook_keeps_results_and_optimizer():
    from types import SimpleNamespace

    from mmderain.engine.hooks import ChannelsLastHook
    torch.manual_seed(0)
    model = PReNet(num_stages=2, mid_channels=8, num_blocks=2)
    reference = PReNet(num_stages=2, mid_channels=8, num_blocks=2)
    reference.load_state_dict(model.state_dict())
    optimizer = torch.optim.Adam(model.parameters())
    ChannelsLastHook().before_run(SimpleNamespace(model=model))
    weight = model.conv_in.weight
    assert weight.is_contiguous(memory_format=torch.channels_last)
    assert not weight.is_contiguous()
    assert weight is optimizer.param_groups[0]['params'][0]
    x = torch.rand(2, 3, 9, 11)
    out = model(x)
    torch.testing.assert_close(out, reference(x), rtol=1e-4, atol=1e-5)
    out.mean().backward()
    optimizer.step()
    assert not torch.equal(model.conv_in.weight, reference.conv_in.weight)


def test_importance_keeps_one_parameter_copy():
    from mmderain.engine.importance import estimate_importance
    from mmderain.benchmark.nr import build_nr_model, state_bytes
    from mmderain.benchmark.runner_steps import synthetic_batch
    model = build_nr_model('configs/nr/prenet_nr_demo_rendered_seq.py', 'cpu',
                           quick=True)
    importance = estimate_importance(model, [synthetic_batch(2, 8)])
    param_bytes = sum(p.numel() * 4 for p in model.parameters())
    # One float32 buffer: the sums plus the 4-byte sample count.
    assert state_bytes(importance) == param_bytes + 4
    assert state_bytes({'a': torch.zeros(3), 'b': torch.zeros(3)}) == 24
