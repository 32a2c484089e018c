"""The placement solver core: a framework-free assignment engine.

Nothing here imports Django (checked by import-linter). It takes and returns frozen dataclasses:
a :class:`~opvangregie.allocation.problem.Problem` (jobs, agents, allowed pairs with their use of
capacity and their value, groups with fair-share targets) is solved by a back-end behind one
small interface (:func:`~opvangregie.allocation.backends.solve`). The domain layer
(:mod:`opvangregie.allocation.domain`) turns households and locations into such a problem and the
result back into proposals with explanations; :mod:`opvangregie.allocation.gap` reads published
Generalized Assignment Problem instances into the same engine.
"""
