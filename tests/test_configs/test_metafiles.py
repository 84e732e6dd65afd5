"""The model index (model-index.yml and each family's metafile.yml, in
mmagic's format) lists every config of every family, and only configs that
exist."""
import glob
import os.path as osp

import pytest
import yaml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FAMILIES = sorted(
    osp.basename(d) for d in glob.glob(osp.join(REPO, 'configs', '*'))
    if osp.isdir(d) and osp.basename(d) != '_base_')


def _load(path: str) -> dict:
    with open(osp.join(REPO, path), encoding='utf-8') as f:
        return yaml.safe_load(f)


def test_model_index_imports_every_family():
    assert FAMILIES, 'no config families found'
    imports = _load('model-index.yml')['Import']
    assert sorted(imports) == [
        f'configs/{family}/metafile.yml' for family in FAMILIES
    ]


@pytest.mark.parametrize('family', FAMILIES)
def test_metafile_lists_exactly_the_family_configs(family):
    meta = _load(f'configs/{family}/metafile.yml')
    collections = {c['Name']: c for c in meta['Collections']}
    assert collections
    for collection in collections.values():
        assert osp.isfile(osp.join(REPO, collection['README'])), (
            f'{family}: collection README {collection["README"]} is missing')

    listed = [model['Config'] for model in meta['Models']]
    for model in meta['Models']:
        config = model['Config']
        assert osp.isfile(osp.join(REPO, config)), (
            f'configs/{family}/metafile.yml lists {config}, which does not '
            'exist')
        assert config.startswith(f'configs/{family}/')
        assert model['Name'] == osp.splitext(osp.basename(config))[0]
        assert model['In Collection'] in collections
        for result in model['Results']:
            assert result['Dataset'] and result['Metrics']
            assert all(
                isinstance(v, (int, float))
                for v in result['Metrics'].values())
    on_disk = sorted(
        osp.relpath(p, REPO)
        for p in glob.glob(osp.join(REPO, 'configs', family, '*.py')))
    assert sorted(listed) == on_disk, (
        f'configs/{family}/metafile.yml must list each config of the family '
        'once')


@pytest.mark.parametrize('family', FAMILIES)
def test_metafile_results_match_the_family_readme(family):
    """Each number in the metafile is in the family's model-zoo table, so
    the two cannot drift apart unnoticed."""
    meta = _load(f'configs/{family}/metafile.yml')
    with open(
            osp.join(REPO, 'configs', family, 'README.md'),
            encoding='utf-8') as f:
        readme = f.read()
    for model in meta['Models']:
        for result in model['Results']:
            for metric, value in result['Metrics'].items():
                text = f'{value:.2f}' if 'PSNR' in metric else f'{value:.4f}'
                assert text in readme, (
                    f'{model["Name"]} {result["Dataset"]} {metric}={text} '
                    f'is not in configs/{family}/README.md')
