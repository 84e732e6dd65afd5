from .masked_optim_wrapper import MaskedAmpOptimWrapper, MaskedOptimWrapper

__all__ = ['MaskedAmpOptimWrapper', 'MaskedOptimWrapper']
