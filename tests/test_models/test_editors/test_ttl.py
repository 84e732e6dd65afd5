import numpy as np
import pytest
import torch
from mmengine.optim import build_optim_wrapper

from mmagic.datasets.transforms import PackInputs
from mmagic.registry import MODELS
from mmderain.models.editors.ttl import (TTLDistiller, TTLRecognizer,
                                         TTLRestorer, resolve_stage_checkpoint)

ENCODER = dict(
    type='AGLFViTEncoder',
    mid_channels=8,
    num_blocks=1,
    num_heads=2,
    window_size=4)
PREPROCESSOR = dict(
    type='DataPreprocessor', mean=[0., 0., 0.], std=[255., 255., 255.])


def recognizer():
    return TTLRecognizer(
        encoder=ENCODER,
        head=dict(type='SPPRecognitionHead'),
        data_preprocessor=dict(PREPROCESSOR, data_keys=None))


def restorer(**kwargs):
    return TTLRestorer(
        generator=dict(
            type='AGLFViTNet', encoder=ENCODER,
            decoder=dict(type='SPPDecoder')),
        pixel_loss=dict(type='MSELoss'),
        gradient_loss=dict(type='GradientMSELoss'),
        data_preprocessor=PREPROCESSOR,
        **kwargs)


def distiller(**kwargs):
    cfg = dict(
        encoder=ENCODER,
        recog_head=dict(type='SPPRecognitionHead'),
        recon_decoder=dict(type='SPPDecoder'),
        data_preprocessor=dict(PREPROCESSOR, data_keys=None))
    cfg.update(kwargs)
    return TTLDistiller(**cfg)


def save_checkpoint(model, path):
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return str(path)


def packed_batch(num=2, size=8, labels=None, with_gt=False, seed=0):
    rng = np.random.default_rng(seed)
    pack = PackInputs(keys='img')
    inputs, samples = [], []
    for i in range(num):
        results = dict(img=rng.integers(0, 256, (size, size, 3), np.uint8))
        if labels is not None:
            results['gt_label'] = labels[i]
        if with_gt:
            results['gt'] = rng.integers(0, 256, (size, size, 3), np.uint8)
        packed = pack(results)
        inputs.append(packed['inputs'])
        samples.append(packed['data_samples'])
    return dict(inputs=inputs, data_samples=samples)


def adam(model, lr=1e-2, **cfg):
    return build_optim_wrapper(
        model,
        dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=lr, weight_decay=0.1),
            **cfg))


def test_recognizer_loss_on_a_known_batch():
    model = recognizer()
    data = model.data_preprocessor(packed_batch(labels=[0, 1]), True)
    scores = model(data['inputs'], mode='tensor')
    assert scores.shape == (2, 1)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    expected = ((scores[0] - 0)**2 + (scores[1] - 1)**2).item() / 2
    assert set(losses) == {'loss_recog'}
    assert losses['loss_recog'].item() == pytest.approx(expected, rel=1e-5)


def test_recognizer_learns_labels_and_predicts():
    torch.manual_seed(0)
    model = recognizer()
    optim = adam(model)
    batch = packed_batch(labels=[0, 1])
    first = model.train_step(batch, optim)['loss_recog'].item()
    for _ in range(15):
        last = model.train_step(batch, optim)['loss_recog'].item()
    assert last < first
    predictions = model.val_step(batch)
    assert len(predictions) == 2
    assert predictions[0].pred_score.shape == (1, )


def test_recognizer_needs_labels():
    model = recognizer()
    data = model.data_preprocessor(packed_batch(), True)
    with pytest.raises(KeyError, match='gt_label'):
        model(data['inputs'], data['data_samples'], mode='loss')
    with pytest.raises(ValueError, match='mode'):
        model(data['inputs'], mode='logits')


def test_restorer_returns_pixel_and_gradient_losses():
    model = restorer()
    optim = adam(model)
    log = model.train_step(packed_batch(with_gt=True), optim)
    assert {'loss_pix', 'loss_grad', 'loss'} <= set(log)
    assert log['loss'].item() == pytest.approx(
        log['loss_pix'].item() + log['loss_grad'].item(), rel=1e-5)


def test_restorer_loads_the_student_encoder(tmp_path):
    teacher = distiller()
    path = save_checkpoint(teacher, tmp_path / 'iter_1.pth')
    model = restorer(encoder_checkpoint=path)
    before = model.generator.decoder.conv_last.weight.clone()
    model.init_weights()
    for key, value in model.generator.encoder.state_dict().items():
        assert torch.equal(value, teacher.student.state_dict()[key]), key
    assert torch.equal(model.generator.decoder.conv_last.weight, before)


def test_restorer_loads_from_a_work_dir(tmp_path):
    source = restorer()
    save_checkpoint(source, tmp_path / 'iter_5.pth')
    # mmengine records the path as seen from where training ran.
    (tmp_path / 'last_checkpoint').write_text('elsewhere/iter_5.pth')
    model = restorer(
        encoder_checkpoint=str(tmp_path), encoder_prefix='generator.encoder.')
    model.init_weights()
    assert torch.equal(model.generator.encoder.conv_first.weight,
                       source.generator.encoder.conv_first.weight)


def test_stage_checkpoint_errors_name_the_path(tmp_path):
    missing = str(tmp_path / 'no_such_stage')
    with pytest.raises(FileNotFoundError, match='no_such_stage'):
        restorer(encoder_checkpoint=missing).init_weights()
    with pytest.raises(FileNotFoundError, match="'last_checkpoint'"):
        resolve_stage_checkpoint(str(tmp_path), 'model.encoder_checkpoint')
    with pytest.raises(ValueError, match='recognition_checkpoint is not set'):
        distiller(recon_decoder=None).init_weights()
    path = save_checkpoint(recognizer(), tmp_path / 'recog.pth')
    with pytest.raises(KeyError, match="'student.'"):
        restorer(encoder_checkpoint=path).init_weights()
    wide = TTLRecognizer(
        encoder=dict(ENCODER, mid_channels=16),
        head=dict(type='SPPRecognitionHead'))
    path = save_checkpoint(wide, tmp_path / 'wide.pth')
    with pytest.raises(RuntimeError, match='do not fit'):
        restorer(
            encoder_checkpoint=path, encoder_prefix='encoder.').init_weights()


def test_restorer_rejects_checkpoint_without_encoder():
    with pytest.raises(TypeError, match='no `encoder`'):
        TTLRestorer(
            generator=dict(type='SPPDecoder', in_channels=3),
            pixel_loss=dict(type='MSELoss'),
            encoder_checkpoint='x.pth')


@pytest.fixture
def teacher_checkpoints(tmp_path):
    torch.manual_seed(1)
    recog = save_checkpoint(recognizer(), tmp_path / 'recog.pth')
    recon = save_checkpoint(restorer(), tmp_path / 'recon.pth')
    return dict(recognition_checkpoint=recog, reconstruction_checkpoint=recon)


def test_distiller_loads_teachers(teacher_checkpoints):
    model = distiller(**teacher_checkpoints)
    model.init_weights()
    recog = torch.load(teacher_checkpoints['recognition_checkpoint'])
    recon = torch.load(teacher_checkpoints['reconstruction_checkpoint'])
    assert torch.equal(
        model.teachers['recognition']['decoder'].fc.weight,
        recog['state_dict']['head.fc.weight'])
    assert torch.equal(
        model.teachers['reconstruction']['encoder'].conv_first.weight,
        recon['state_dict']['generator.encoder.conv_first.weight'])


def test_distiller_keeps_teachers_frozen(teacher_checkpoints):
    model = distiller(**teacher_checkpoints)
    model.init_weights()
    model.train()
    assert not model.teachers.training and model.student.training
    teachers = {k: v.clone() for k, v in model.teachers.state_dict().items()}
    student = model.student.conv_first.weight.clone()
    optim = adam(model)
    for seed in range(3):
        log = model.train_step(packed_batch(seed=seed), optim)
    assert set(log) >= {
        'loss_direct_recognition', 'loss_indirect_recognition',
        'loss_direct_reconstruction', 'loss_indirect_reconstruction'
    }
    for key, value in model.teachers.state_dict().items():
        assert torch.equal(value, teachers[key]), key
    assert all(not p.requires_grad for p in model.teachers.parameters())
    assert not torch.equal(model.student.conv_first.weight, student)


def test_indirect_term_reaches_the_student(teacher_checkpoints):
    model = distiller(
        direct_loss=dict(type='FeatureDistillLoss', loss_weight=0.),
        **teacher_checkpoints)
    model.init_weights()
    data = model.data_preprocessor(packed_batch(), True)
    losses = model(data['inputs'], mode='loss')
    sum(losses.values()).backward()
    assert model.student.conv_first.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.teachers.parameters())


def test_distiller_term_weights(teacher_checkpoints):
    data = None
    terms = {}
    for weights in (None, dict(direct_recognition=0.5,
                               indirect_reconstruction=3.0)):
        # The same student initialisation for both.
        torch.manual_seed(0)
        model = distiller(term_weights=weights, **teacher_checkpoints)
        model.init_weights()
        data = data or model.data_preprocessor(packed_batch(), True)
        with torch.no_grad():
            terms[weights is None] = model(data['inputs'], mode='loss')
    plain, weighted = terms[True], terms[False]
    # Eq. 5's default: every term once; the weights scale single terms.
    factors = dict(
        loss_direct_recognition=0.5,
        loss_indirect_recognition=1.0,
        loss_direct_reconstruction=1.0,
        loss_indirect_reconstruction=3.0)
    for key, factor in factors.items():
        assert torch.allclose(weighted[key], factor * plain[key]), key
    with pytest.raises(ValueError, match='term_weights.*direct_recog'):
        distiller(recog_head=None, term_weights=dict(direct_recognition=2.))


def test_distiller_with_one_teacher(teacher_checkpoints):
    model = distiller(
        recon_decoder=None,
        recognition_checkpoint=teacher_checkpoints['recognition_checkpoint'])
    model.init_weights()
    data = model.data_preprocessor(packed_batch(), True)
    losses = model(data['inputs'], mode='loss')
    assert set(losses) == {
        'loss_direct_recognition', 'loss_indirect_recognition'
    }
    assert model(data['inputs']).shape == (2, 8, 8, 8)
    with pytest.raises(ValueError, match='at least one teacher'):
        distiller(recog_head=None, recon_decoder=None)


def test_two_learning_rates_for_encoder_and_decoder():
    model = restorer()
    optim = adam(
        model,
        lr=4e-4,
        paramwise_cfg=dict(
            custom_keys={'generator.encoder': dict(lr_mult=0.1)}))
    encoder = {id(p) for p in model.generator.encoder.parameters()}
    decoder = {id(p) for p in model.generator.decoder.parameters()}
    lrs = {}
    for group in optim.param_groups:
        for param in group['params']:
            lrs[id(param)] = group['lr']
    assert all(lrs[i] == pytest.approx(4e-5) for i in encoder)
    assert all(lrs[i] == pytest.approx(4e-4) for i in decoder)


def test_models_register_under_unique_names():
    for name in ('TTLRecognizer', 'TTLDistiller', 'TTLRestorer',
                 'AGLFViTEncoder', 'AGLFViTNet', 'SPPDecoder',
                 'SPPRecognitionHead', 'GradientMSELoss',
                 'FeatureDistillLoss'):
        assert MODELS.get(name).__module__.startswith('mmderain'), name
