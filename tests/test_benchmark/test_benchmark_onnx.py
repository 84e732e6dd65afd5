import pytest

from mmderain.benchmark import BenchContext
from mmderain.benchmark.onnx_infer import onnx_suite

pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')


def test_onnx_suite_times_both_engines_side_by_side(tmp_path):
    ctx = BenchContext(work_dir=str(tmp_path), rounds=1, command='test',
                       quick=True)
    figures, targets = onnx_suite(ctx)
    assert targets == []
    values = {fig['name']: fig['value'] for fig in figures}
    for label in ('PReNet (6 stages)', 'AGLF-ViT'):
        torch_time = values[f'{label}: PyTorch derain_image']
        ort_time = values[f'{label}: onnxruntime derain_image']
        assert torch_time > 0 and ort_time > 0
        ratio = values[f'{label}: onnxruntime / PyTorch time']
        assert ratio == pytest.approx(ort_time / torch_time)
    assert all(fig['suite'] == 'onnx' and fig['patch'] == '64x64'
               for fig in figures)
    assert (tmp_path / 'aglf_vit.onnx').is_file()


def test_onnx_suite_reports_a_gpu_run_as_not_measured(tmp_path):
    ctx = BenchContext(device='cuda', work_dir=str(tmp_path), quick=True)
    figures, _ = onnx_suite(ctx)
    assert figures and all(fig['value'] is None for fig in figures)
    assert 'CPU' in figures[0]['note']
