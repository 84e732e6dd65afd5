# PReNet of prenet.py as the model of a task sequence: DistillEditModel
# takes the loss terms that continual-learning hooks set (Knowledge
# Distillation's Eq. 7, the EWC/MAS/PIGWM penalty) and, with none, trains
# exactly as BaseEditModel (SI, Mix and single-dataset runs).
_base_ = './prenet.py'

model = dict(type='DistillEditModel')
