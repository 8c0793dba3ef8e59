from . import followup, initiatives, suggestions, tasks  # noqa: F401  (registers the models)
