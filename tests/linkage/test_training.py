"""`cylch link train` starts from the current model: a level its file lacks starts at the model's prior for it."""

from __future__ import annotations

import json

from cylch.linkage.scoring import LevelParameters, model_path, transposed_prior
from cylch.linkage.training import _start


def test_a_mistyped_nhs_number_starts_at_its_prior_not_at_no_evidence():
    # Training never samples two strangers whose numbers are a swap apart, so u keeps where it starts.
    start = _start(json.loads(model_path("v5").read_text(encoding="utf-8")), {"given_name": {}, "family_name": {}})
    assert start.level("nhs_number", "transposed") == transposed_prior(start.level("nhs_number", "exact"))


def test_a_level_without_a_prior_starts_as_no_evidence_either_way():
    start = _start(json.loads(model_path("v5").read_text(encoding="utf-8")), {"given_name": {}, "family_name": {}})
    assert start.level("given_name", "middle_name") == LevelParameters(m=0.005, u=0.005)
