from .channels_last_hook import ChannelsLastHook
from .checkpoint_fit_hook import CheckpointFitHook, WeightMismatchError
from .dump_metrics_hook import DumpMetricsHook
from .ewc_hook import EWCHook
from .finite_loss_hook import FiniteLossHook
from .fixed_samples_visualization_hook import FixedSamplesVisualizationHook
from .mas_hook import MASHook
from .pigwm_hook import PIGWMHook
from .quadratic_penalty_hook import QuadraticPenaltyHook
from .sequence_eval_hook import SequenceEvalHook
from .state_footprint_hook import StateFootprintHook
from .synaptic_consolidation_hook import SynapticConsolidationHook
from .teacher_snapshot_hook import TeacherSnapshotHook

__all__ = [
    'ChannelsLastHook', 'CheckpointFitHook', 'DumpMetricsHook', 'EWCHook',
    'FiniteLossHook', 'FixedSamplesVisualizationHook', 'MASHook',
    'PIGWMHook', 'QuadraticPenaltyHook', 'SequenceEvalHook',
    'StateFootprintHook', 'SynapticConsolidationHook', 'TeacherSnapshotHook',
    'WeightMismatchError'
]
