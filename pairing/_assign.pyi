"""Types of the compiled solver (pairing/_assign.c)."""

import numpy as np
import numpy.typing as npt

def solve(
    start: npt.NDArray[np.int64],
    mentor: npt.NDArray[np.int64],
    cost: npt.NDArray[np.int64],
    capacity: npt.NDArray[np.int64],
    price: npt.NDArray[np.int64],
    hint: npt.NDArray[np.int64],
    arc_of: npt.NDArray[np.int64],
    budget: int,
    /,
) -> int: ...
def distances(
    tail: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    weight: npt.NDArray[np.int64],
    distance: npt.NDArray[np.int64],
    /,
) -> bool: ...
