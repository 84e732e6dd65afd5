# The optimization of ttl_100k.py for the CPU demo on embedded data: batch
# 4, 1,000 iterations per stage, a plateau check every 100 iterations, and
# a fixed seed so that the demo's table repeats.
_base_ = './ttl_100k.py'

randomness = dict(seed=2021)
train_dataloader = dict(batch_size=4, num_workers=1)
train_cfg = dict(max_iters=1000)
param_scheduler = dict(interval=100)
