"""Optimizer wrappers that keep consolidated parameters bit-identical.

Synaptic Consolidation (Neural Reorganization, Sec. 3.1 and Fig. 3c)
shields the parameters important to earlier datasets from any update.
Zeroing their gradients is not enough: Adam keeps moving a parameter with
its momentum, and decoupled weight decay shrinks it with no gradient at
all. These wrappers therefore zero the masked gradients (so gradient
clipping and the moment estimates ignore them), run the optimizer step,
and copy the saved frozen values back afterwards.
"""
from typing import Dict, Iterable, List, Optional, Tuple

import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from torch import Tensor, nn

from mmagic.registry import OPTIM_WRAPPERS

_MASK_KEY = 'frozen_masks'


class FrozenMaskMixin:
    """Mask logic shared by :class:`MaskedOptimWrapper` and
    :class:`MaskedAmpOptimWrapper`.

    Masks are boolean tensors shaped like their parameter; ``True`` marks an
    element that must not change. They are addressed by the parameter's
    position in ``optimizer.param_groups`` so that they survive a
    ``state_dict`` round trip, like the optimizer's own state.
    """

    optimizer: torch.optim.Optimizer

    def _frozen(self) -> Dict[Tuple[int, int], Tensor]:
        # Created lazily: the mixin adds no constructor arguments.
        if not hasattr(self, '_frozen_masks'):
            self._frozen_masks: Dict[Tuple[int, int], Tensor] = {}
        return self._frozen_masks

    def _param_at(self, position: Tuple[int, int]) -> nn.Parameter:
        group_idx, param_idx = position
        return self.optimizer.param_groups[group_idx]['params'][param_idx]

    def set_frozen_masks(
            self, masks: Iterable[Tuple[nn.Parameter, Tensor]]) -> None:
        """Replace the frozen masks.

        Args:
            masks (Iterable[tuple[Parameter, Tensor]]): Pairs of a parameter
                handled by this optimizer and a boolean mask of its shape.
        """
        positions = {
            id(param): (group_idx, param_idx)
            for group_idx, group in enumerate(self.optimizer.param_groups)
            for param_idx, param in enumerate(group['params'])
        }
        frozen = {}
        for param, mask in masks:
            if id(param) not in positions:
                raise ValueError(
                    'set_frozen_masks got a parameter of shape '
                    f'{tuple(param.shape)} that this optimizer does not '
                    'update; build the optimizer from the same model.')
            if mask.shape != param.shape or mask.dtype != torch.bool:
                raise ValueError(
                    f'A frozen mask must be a bool tensor of shape '
                    f'{tuple(param.shape)}, got {mask.dtype} of shape '
                    f'{tuple(mask.shape)}.')
            if mask.any():
                frozen[positions[id(param)]] = mask.to(param.device)
        self._frozen_masks = frozen

    @property
    def num_frozen(self) -> int:
        """int: Number of parameter elements currently frozen."""
        return int(sum(mask.sum().item() for mask in self._frozen().values()))

    def _freeze_before_step(self) -> List[Tuple[Tensor, Tensor, Tensor]]:
        saved = []
        for position, mask in self._frozen().items():
            param = self._param_at(position)
            if param.grad is not None:
                param.grad.masked_fill_(mask, 0)
            saved.append((param, mask, param.detach()[mask].clone()))
        return saved

    @staticmethod
    def _restore_after_step(
            saved: List[Tuple[Tensor, Tensor, Tensor]]) -> None:
        with torch.no_grad():
            for param, mask, values in saved:
                param[mask] = values

    def step(self, **kwargs) -> None:
        """Run the wrapped optimizer step with the masked elements held."""
        saved = self._freeze_before_step()
        super().step(**kwargs)  # type: ignore[misc]
        self._restore_after_step(saved)

    def state_dict(self) -> dict:
        """Add the frozen masks to the wrapper's state dict."""
        state_dict = super().state_dict()  # type: ignore[misc]
        state_dict[_MASK_KEY] = [[group_idx, param_idx,
                                  mask.cpu()] for (group_idx, param_idx),
                                 mask in self._frozen().items()]
        return state_dict

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore the frozen masks, then the wrapped state."""
        state_dict = dict(state_dict)
        entries: Optional[list] = state_dict.pop(_MASK_KEY, None)
        if entries is not None:
            self._frozen_masks = {}
            for group_idx, param_idx, mask in entries:
                param = self._param_at((group_idx, param_idx))
                self._frozen_masks[(group_idx, param_idx)] = mask.to(
                    device=param.device, dtype=torch.bool)
        super().load_state_dict(state_dict)  # type: ignore[misc]


@OPTIM_WRAPPERS.register_module()
class MaskedOptimWrapper(FrozenMaskMixin, OptimWrapper):
    """:class:`OptimWrapper` whose frozen elements never change.

    Takes the same arguments as mmengine's ``OptimWrapper``; masks are set
    with :meth:`set_frozen_masks`, normally by ``SynapticConsolidationHook``.
    Without masks it updates exactly as ``OptimWrapper`` (the same steps,
    bit for bit; its state dict only adds an empty mask list), so every
    method of a task sequence can share it
    (``configs/_base_/sequences/``). ``--amp`` of ``tools/train.py``
    switches it to ``amp_type``.
    """

    amp_type = 'MaskedAmpOptimWrapper'


@OPTIM_WRAPPERS.register_module()
class MaskedAmpOptimWrapper(FrozenMaskMixin, AmpOptimWrapper):
    """:class:`AmpOptimWrapper` (``--amp``) whose frozen elements never
    change.

    The masked gradients are zeroed while still scaled, which leaves them
    zero after unscaling; the values are restored after the scaler's step,
    whether the scaler applied or skipped it.
    """
