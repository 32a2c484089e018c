import random

import pytest

from opvangregie.capacity.distribution import largest_remainder


def test_textbook_example() -> None:
    # Quotas 4.4, 2.8, 1.8 -> floors 4, 2, 1 (7); the 3 places left go to .8, .8, then .4.
    assert largest_remainder(10, {"a": 44, "b": 28, "c": 28}) == {"a": 4, "b": 3, "c": 3}


def test_ties_are_broken_deterministically_by_weight_then_key() -> None:
    assert largest_remainder(1, {"b": 1, "a": 1}) == {"a": 1, "b": 0}
    assert largest_remainder(2, {"x": 2, "y": 1, "z": 1}) == {"x": 1, "y": 1, "z": 0}


@pytest.mark.parametrize("seed", range(25))
def test_targets_always_add_up_and_stay_within_one_of_the_quota(seed: int) -> None:
    rng = random.Random(seed)
    weights = {f"GM{i:04d}": rng.randint(0, 200_000) for i in range(rng.randint(1, 40))}
    weights["GM9999"] = 1  # at least one positive weight
    total = rng.randint(0, 10_000)
    result = largest_remainder(total, weights)
    assert sum(result.values()) == total
    weight_sum = sum(weights.values())
    for key, amount in result.items():
        quota = total * weights[key] / weight_sum
        assert quota - 1 < amount < quota + 1


def test_zero_weights() -> None:
    assert largest_remainder(0, {"a": 0}) == {"a": 0}
    with pytest.raises(ValueError, match="zero weights"):
        largest_remainder(5, {"a": 0})
