"""The evaluation contract on the real labelled citizen messages (read from ../shared)."""

import json

from fengqiao.routing import evaluate


def test_cross_validation_on_real_messages_reaches_the_target(shared_data, capsys):
    path = shared_data / "teddy2020" / "labelled.jsonl"

    assert evaluate.main([str(path)]) == 0
    figures = json.loads(capsys.readouterr().out)

    assert figures["n"] == 494
    assert set(figures) == {"n", "accuracy", "macro_f1", "train_seconds", "predict_ms_per_item"}
    assert figures["accuracy"] >= 0.85
    assert figures["macro_f1"] >= 0.82
