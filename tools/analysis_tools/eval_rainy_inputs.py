"""Score the rainy inputs of a config's test sets (the no-de-raining baseline).

    python tools/analysis_tools/eval_rainy_inputs.py \
        configs/prenet/prenet_b4-p64_800i_rendered-rain100h.py
"""
import argparse

from mmengine.registry import init_default_scope


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='PSNR/SSIM of the rainy test inputs against clean')
    parser.add_argument('config', help='config with a test_dataloader')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import mmderain  # noqa: F401
    from mmagic.registry import DATASETS
    from mmderain.apis import drop_missing_optional_sets
    from mmderain.evaluation import evaluate_rainy_inputs
    from mmderain.utils.renamed_configs import load_config

    cfg = load_config(args.config)
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    # A demo's optional set whose data is missing is left out with a
    # message.
    drop_missing_optional_sets(cfg)
    loaders = cfg.test_dataloader
    if not isinstance(loaders, (list, tuple)):
        loaders = [loaders]
    print('| test set | images | Y PSNR | Y SSIM | RGB PSNR | RGB SSIM |')
    print('|---|---|---|---|---|---|')
    for loader in loaders:
        dataset_cfg = loader['dataset']
        name = dataset_cfg.get('preset',
                               dataset_cfg.get('data_root', dataset_cfg.type))
        dataset = DATASETS.build(dataset_cfg)
        scores = evaluate_rainy_inputs(dataset)
        print(f'| {name} (rainy input) | {len(dataset)} | '
              f"{scores['Y/PSNR']:.2f} | {scores['Y/SSIM']:.4f} | "
              f"{scores['RGB/PSNR']:.2f} | {scores['RGB/SSIM']:.4f} |")


if __name__ == '__main__':
    main()
