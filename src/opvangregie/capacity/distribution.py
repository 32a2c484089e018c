"""Turning a distribution key into whole-number targets (largest-remainder method).

Pure Python, no Django: the targets always add up exactly to the total.
"""

from collections.abc import Mapping
from fractions import Fraction


def largest_remainder(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Divide ``total`` over the keys in proportion to their weights.

    Each key first gets the whole part of its exact quota; the places left over go, one each, to
    the keys with the largest remainders (ties: larger weight first, then the key, so the result
    is deterministic).
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        if total == 0:
            return dict.fromkeys(weights, 0)
        raise ValueError("cannot divide a positive total over zero weights")
    quotas = {key: Fraction(total * w, weight_sum) for key, w in weights.items()}
    result = {key: int(q) for key, q in quotas.items()}  # int() floors a non-negative Fraction
    left = total - sum(result.values())
    order = sorted(weights, key=lambda k: (-(quotas[k] - result[k]), -weights[k], k))
    for key in order[:left]:
        result[key] += 1
    return result
