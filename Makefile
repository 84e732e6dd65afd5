# One-command set-up for mmderain on a CPU machine (see README.md).
#
#   make demo   set up (if needed), then train + evaluate PReNet on rendered rain
#   make test   set up (if needed), then run the test suite
#   make test-fast  the test suite without the end-to-end tests (marker e2e)
#
# The environment lives in .venv/ inside the repository. mmcv 2.1.0 has no wheel on
# PyPI and needs its C++ ops for `import mmagic.models`, so it is built from source
# once (about 11 minutes on 2 cores) and the wheel is kept in $(WHEEL_CACHE), outside
# the repository, so later installs on the same machine take seconds.

PYTHON       ?= python3
VENV         ?= .venv
WHEEL_CACHE  ?= $(HOME)/.cache/mmderain/wheels
CONSTRAINTS  := requirements/constraints.txt
MMCV_VERSION := 2.1.0
PIP          := $(VENV)/bin/pip
PY           := $(VENV)/bin/python
STAMP        := $(VENV)/.mmderain-installed
DEMO_CONFIG  ?= configs/prenet/prenet_b4-p64_1600i_rendered-mix.py
DEMO_WORKDIR ?= work_dirs/prenet_b4-p64_1600i_rendered-mix

# A pip configuration may add a folder with a CPU-only torch 2.13 wheel that no
# torchvision build matches; the constraints pin torch 2.14.1 so it is never chosen.
PIP_INSTALL  := $(PIP) install --disable-pip-version-check -c $(CONSTRAINTS)

.PHONY: setup demo test test-fast clean-venv

setup: $(STAMP)

$(STAMP): setup.py $(CONSTRAINTS) requirements/runtime.txt requirements/tests.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) torch torchvision setuptools wheel ninja
	$(MAKE) --no-print-directory mmcv-wheel
	$(PIP_INSTALL) --no-deps $$(ls $(WHEEL_CACHE)/mmcv-$(MMCV_VERSION)-*.whl | head -n 1)
	$(PIP_INSTALL) --no-deps mmagic
	$(PIP_INSTALL) -r requirements/runtime.txt -r requirements/tests.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	$(PY) -c "import mmderain; print('mmderain', mmderain.__version__, 'ready')"
	touch $(STAMP)

.PHONY: mmcv-wheel
mmcv-wheel:
	@if ls $(WHEEL_CACHE)/mmcv-$(MMCV_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "using cached $$(ls $(WHEEL_CACHE)/mmcv-$(MMCV_VERSION)-*.whl | head -n 1)"; \
	else \
		set -e; \
		build=$$(mktemp -d); \
		mkdir -p $(WHEEL_CACHE); \
		$(PIP) download --no-deps --no-binary :all: --no-build-isolation -d $$build mmcv==$(MMCV_VERSION); \
		tar -xzf $$build/mmcv-$(MMCV_VERSION).tar.gz -C $$build; \
		# torch >= 2.14 headers require C++20; mmcv 2.1.0 asks for C++17. \
		sed -i 's/-std=c++17/-std=c++20/g' $$build/mmcv-$(MMCV_VERSION)/setup.py; \
		cd $$build/mmcv-$(MMCV_VERSION) && \
		MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS=$${MAX_JOBS:-2} \
			$(CURDIR)/$(PIP) wheel --no-deps --no-build-isolation -w $$build/dist . ; \
		cp $$build/dist/mmcv-$(MMCV_VERSION)-*.whl $(WHEEL_CACHE)/; \
		rm -rf $$build; \
	fi

demo: setup
	$(PY) tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_WORKDIR)

test: setup
	$(PY) -m pytest tests -q

test-fast: setup
	$(PY) -m pytest tests -q -m "not e2e"

clean-venv:
	rm -rf $(VENV)
