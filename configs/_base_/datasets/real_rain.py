# Renamed: RainTrainL is public synthetic rain, not real (photographed) rain.
raise ImportError('configs/_base_/datasets/real_rain.py was renamed to '
                  'raintrain.py (same folder); its real_rain100l_* variables '
                  'are now raintrainl_*, e.g. raintrainl_test_loader.')
