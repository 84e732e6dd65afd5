from .dump_metrics_hook import DumpMetricsHook
from .sequence_eval_hook import SequenceEvalHook
from .synaptic_consolidation_hook import SynapticConsolidationHook
from .teacher_snapshot_hook import TeacherSnapshotHook

__all__ = [
    'DumpMetricsHook', 'SequenceEvalHook', 'SynapticConsolidationHook',
    'TeacherSnapshotHook'
]
