# Renamed: our renderer's rain is "rendered", not "synthetic".
raise ImportError('configs/_base_/datasets/synthetic_rain.py was renamed to '
                  'rendered_rain.py (same folder); its syn_* variables are '
                  'now rendered_*, e.g. rendered_rain100h_train.')
