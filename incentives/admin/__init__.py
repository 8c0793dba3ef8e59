from . import ledger, recognition, rewards  # noqa: F401  (registers the models)
