"""Near-miss hallucinations on real packages (scripts/real-usage.sh): each marked line
gives exactly the finding marked, and no other line gives any."""
import matplotlib.pyplot as plt
import numpy as np
import six
from pydantic import BaseModel


class User(BaseModel):
    name: str


class Strict(BaseModel, extra="forbid"):
    name: str


user = User(name="a")
user.to_json()  # expect: unknown-member
user.dict_dump()  # expect: unknown-member
Strict(name="b").anything  # expect: unknown-member
np.arange(10).to_list()  # expect: unknown-member
np.arange(0.0, 1.0, 0.1).rounded(2)  # expect: unknown-member
plt.ArrayLike  # expect: unresolved-symbol
plt.pathlib.Path("a")  # expect: unresolved-symbol
from matplotlib.pyplot import Callable  # expect: unresolved-symbol
six.ensure_strr("a")  # expect: unresolved-symbol
fig, ax = plt.subplots()
ax.heatmap([[1]])  # expect: unknown-member
fig.save("a.png")  # expect: unknown-member
np.ones(3).to_numpy()  # expect: unknown-member
import matplotlib.cm  # noqa: E402
matplotlib.cm.get_cmap("viridis")  # expect: unresolved-symbol
from pydantic import BaseSettings  # expect: removed-api
from pydantic import JsonModel  # expect: unresolved-symbol
