"""Text classifier of routing: proposes a case's category from its title and text.

Public interface (used by the routing app's model storage, training command and dispatch):
`Prediction`, `TextClassifier` (train / predict / predict_many / dumps / loads / labels) and
`case_text`. A stored model is plain arrays and JSON (no pickle), so loading a model from
the database cannot run code.
"""

from fengqiao.routing.text.classifier import Prediction, TextClassifier, case_text

__all__ = ["Prediction", "TextClassifier", "case_text"]
