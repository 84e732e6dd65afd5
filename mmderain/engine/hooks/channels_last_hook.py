"""Channels-last memory format for the model's convolutions."""
import torch
from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Store the model's 4-D weights in channels-last (NHWC) order.

    Convolutions whose weight is channels-last return channels-last
    outputs, and the layers after them keep that order, so the inputs need
    no conversion. On the CPU, oneDNN runs NHWC convolutions without the
    reorders NCHW needs (the benchmark in ``tools/analysis_tools/
    benchmark.py --options channels_last`` measures the gain); on GPUs it
    enables the tensor-core kernels under ``--amp``. The results equal
    those in the default order up to float rounding.

    The conversion runs at ``before_run``, after the optimizer is built:
    ``Module.to`` swaps the tensors inside the same parameter objects, so
    the optimizer keeps addressing them.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        """Convert the (unwrapped) model."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        model.to(memory_format=torch.channels_last)
