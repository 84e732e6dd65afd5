"""Save the same few validation samples of every evaluation set."""
import os.path as osp
from typing import Dict, Optional, Sequence

from mmagic.engine.hooks import BasicVisualizationHook
from mmagic.registry import HOOKS
from mmengine.structures import BaseDataElement

# Data-sample field the hook writes and the visualizer names files by
# (``fn_key`` of ``ConcatImageVisualizer`` in configs/_base_/default_runtime).
VIS_NAME_KEY = 'vis_name'
METRIC_CHANNELS = ('Y', 'RGB')


@HOOKS.register_module()
class FixedSamplesVisualizationHook(BasicVisualizationHook):
    """mmagic's visualization hook, limited to the first ``num_samples``
    samples of each evaluation set.

    mmagic's :class:`BasicVisualizationHook` draws every ``interval``-th
    batch, which is all of a large test set or, under ``MultiValLoop`` (one
    running batch index over all sets), an uneven share of each set. Here
    each set contributes its first samples (the same ones at every
    validation, the evaluation sets being unshuffled), so that images of
    the same scene can be compared across training steps.

    Each sample is named ``{set}_{file}``: the set is the prefix of the
    set's metrics without its ``-Y`` / ``-RGB`` end (e.g.
    ``public-raintrainl-heldout-c192``; ``set{i}`` when the prefix is only
    ``Y`` or ``RGB``), the file is the basename of ``gt_path`` (else
    ``img_path``, else the sample's index in the set), so that sets whose
    files share names (rendered sets name theirs ``norain-N``) do not
    overwrite each other.
    The visualizer draws them with ``fn_key='vis_name'``.

    Args:
        num_samples (int): Samples drawn per evaluation set; 0 draws
            nothing (mmengine's runner cannot drop a ``default_hooks``
            entry of its own). Defaults to 3.
        on_val (bool): Draw during validation. Defaults to True.
        on_test (bool): Draw during testing. Defaults to True.
    """

    def __init__(self,
                 num_samples: int = 3,
                 on_val: bool = True,
                 on_test: bool = True) -> None:
        if num_samples < 0:
            raise ValueError('FixedSamplesVisualizationHook: num_samples '
                             f'must be >= 0, got {num_samples}.')
        super().__init__(
            interval=1, on_train=False, on_val=on_val, on_test=on_test)
        self.num_samples = num_samples
        self._drawn: Dict[int, int] = {}

    def before_val(self, runner) -> None:
        self._drawn = {}

    def before_test(self, runner) -> None:
        self._drawn = {}

    def _after_iter(self,
                    runner,
                    batch_idx: int,
                    data_batch: Optional[Sequence[dict]],
                    outputs: Optional[Sequence[BaseDataElement]],
                    mode: Optional[str] = None) -> None:
        if mode == 'train' or (mode == 'val' and not self._on_val) or (
                mode == 'test' and not self._on_test) or not outputs:
            return
        loop = runner.val_loop if mode == 'val' else runner.test_loop
        # MultiValLoop / MultiTestLoop point `dataloader` and `evaluator`
        # at the set being evaluated; mmengine's loops have only one.
        dataloader = getattr(loop, 'dataloader', None)
        key = id(dataloader)
        if key not in self._drawn:
            self._drawn[key] = 0
        set_name = self._set_name(loop, len(self._drawn) - 1)
        img_keys = getattr(runner.visualizer, 'img_keys', None)
        for data_sample in outputs:
            index = self._drawn[key]
            if index >= self.num_samples:
                return
            if img_keys and not self._has_images(data_sample, img_keys):
                # E.g. TTL's recognition stage: a score, no image to draw.
                return
            data_sample.set_field(
                f'{set_name}_{self._file_name(data_sample, index)}',
                VIS_NAME_KEY,
                field_type='metainfo')
            runner.visualizer.add_datasample(data_sample, step=runner.iter)
            self._drawn[key] = index + 1

    @staticmethod
    def _has_images(data_sample: BaseDataElement,
                    img_keys: Sequence[str]) -> bool:
        # Where ConcatImageVisualizer looks: the sample and its `output`.
        fields = set(data_sample.keys())
        output = data_sample.get('output')
        if isinstance(output, BaseDataElement):
            fields |= set(output.keys())
        return any(k in fields for k in img_keys)

    @staticmethod
    def _set_name(loop, index: int) -> str:
        evaluator = getattr(loop, 'evaluator', None)
        for metric in getattr(evaluator, 'metrics', []):
            prefix = str(getattr(metric, 'prefix', None) or '')
            # Our multi-set configs prefix metrics '{set}-Y' / '{set}-RGB';
            # single-set ones just 'Y' / 'RGB', which name no set.
            for channel in METRIC_CHANNELS:
                if prefix.endswith('-' + channel):
                    prefix = prefix[:-len(channel) - 1]
            if prefix and prefix not in METRIC_CHANNELS:
                return prefix
        return f'set{index}'

    @staticmethod
    def _file_name(data_sample: BaseDataElement, index: int) -> str:
        for key in ('gt_path', 'img_path'):
            path = data_sample.get(key)
            if isinstance(path, (list, tuple)):
                path = path[0] if path else None
            if path:
                # The visualizer cuts names at the first dot.
                name = osp.splitext(osp.basename(str(path)))[0]
                return name.replace('.', '_')
        return str(index)
