"""Measure the memory a continual-learning method keeps besides the
network (importance, anchors, masks, teacher) and write it to the work
directory."""
import json
import os.path as osp
from typing import Dict

from mmagic.registry import HOOKS
from mmengine.dist import master_only
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import Tensor, nn

from mmderain.engine.runner.sequential_train_loop import \
    require_sequential_loop

FOOTPRINT_FILE = 'extra_state.json'
# Per-run columns of the comparison report (mmderain.experiments.nr_compare
# reads it); other writers' entries are kept.
RUN_INFO_FILE = 'run_info.json'
MEMORY_COLUMN = 'extra memory (MiB)'


def tensor_bytes(obj) -> int:
    """Bytes of the tensors in ``obj``: a tensor, a module (parameters and
    buffers) or a dict / list / tuple of those, recursively."""
    if isinstance(obj, Tensor):
        return obj.numel() * obj.element_size()
    if isinstance(obj, nn.Module):
        return sum(tensor_bytes(t) for t in obj.state_dict().values())
    if isinstance(obj, dict):
        return sum(tensor_bytes(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(tensor_bytes(v) for v in obj)
    return 0


@HOOKS.register_module()
class StateFootprintHook(Hook):
    """After every task, sum the tensors held by the other hooks (e.g.
    ``SynapticConsolidationHook``'s masks and importance,
    ``TeacherSnapshotHook``'s teacher, a penalty hook's importance and
    anchors) and write them to ``extra_state.json`` in the work directory,
    with the network's own size for scale.

    Only the hooks' attributes are counted: copies a hook's loss term
    makes on another device (see ``QuadraticPenaltyTerm``), and the
    optimizer's own state (the same for every method with the same
    optimizer), are not.
    """

    # After the other hooks' after_task, so the new state is counted.
    priority = 'LOWEST'

    def before_train(self, runner) -> None:
        """Refuse a loop without task events (it would write nothing)."""
        require_sequential_loop(runner, type(self).__name__)

    def after_task(self, runner, task_idx: int) -> None:
        """Measure and write the footprint after task ``task_idx``."""
        by_hook: Dict[str, Dict[str, int]] = {}
        for hook in runner.hooks:
            if hook is self:
                continue
            sizes = {
                attr: tensor_bytes(value)
                for attr, value in vars(hook).items()
            }
            sizes = {attr: size for attr, size in sizes.items() if size}
            if sizes:
                by_hook[type(hook).__name__] = sizes
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        self._write(
            runner,
            dict(
                after_task=task_idx,
                extra_bytes=sum(
                    sum(sizes.values()) for sizes in by_hook.values()),
                model_bytes=sum(
                    p.numel() * p.element_size() for p in model.parameters()),
                by_hook=by_hook))

    @master_only
    def _write(self, runner, footprint: dict) -> None:
        with open(
                osp.join(runner.work_dir, FOOTPRINT_FILE), 'w',
                encoding='utf-8') as f:
            json.dump(footprint, f, indent=2)
        info_path = osp.join(runner.work_dir, RUN_INFO_FILE)
        info = {}
        if osp.isfile(info_path):
            with open(info_path, encoding='utf-8') as f:
                info = json.load(f)
        info[MEMORY_COLUMN] = round(footprint['extra_bytes'] / 2**20, 3)
        with open(info_path, 'w', encoding='utf-8') as f:
            json.dump(info, f, indent=2)
