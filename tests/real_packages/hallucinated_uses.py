"""Near-miss hallucinations of real packages' APIs (checked by
scripts/real-packages.sh against .tools/realpkgs-venv): each marked line must
get exactly the finding it names, and no other line any."""
import attrs
import click
import numpy
import numpy as np
import requests.utils

np.Inf  # expect: removed-api
np.asscalar(np.float64(1))  # expect: unresolved-symbol
np.alltrue([True])  # expect: removed-api
np.in1d([1], [1])  # expect: unresolved-symbol
np.product([1, 2])  # expect: unresolved-symbol
numpy.mode([1])  # expect: unresolved-symbol
np.float(1)  # expect: removed-api
np.NaN  # expect: removed-api
np.lookfor("sum")  # expect: removed-api
np.array_api  # expect: removed-api
from numpy import Infinity  # expect: removed-api
click.log("x")  # expect: unresolved-symbol
click.flag("--x")  # expect: unresolved-symbol
from click import CliRunner  # expect: unresolved-symbol
attrs.to_dict(object())  # expect: unresolved-symbol
requests.utils.quote_plus("a b")  # expect: unresolved-symbol
