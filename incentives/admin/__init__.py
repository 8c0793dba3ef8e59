from . import honours, ledger, pk, pulse, recognition, rewards, rules  # noqa: F401  (registers the models)
