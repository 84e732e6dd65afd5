from .prenet_net import PReNet, convert_original_state_dict

__all__ = ['PReNet', 'convert_original_state_dict']
