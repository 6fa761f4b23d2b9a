"""Valid uses of real packages (checked by scripts/real-packages.sh against
.tools/realpkgs-venv): none may be reported. numpy (its own stubs beside its
runtime, a module __getattr__ with removed names), click (a __getattr__ that
starts with `import warnings`), attrs (`__getattr__ = _make_getattr(__name__)`),
requests with types-requests installed (the stubs lack some runtime names)."""
import attrs
import click
import numpy
import numpy as np
import requests.utils
from click.testing import CliRunner
from numpy import float64, linalg, ndarray

a = np.arange(10)
print(np.inf, np.nan, np.pi, np.float64, np.int32, np.ndarray, np.dtype, np.array([1, 2]))
print(np.linalg.norm, np.fft.fft, np.random.default_rng, np.ma.masked, np.char.upper)
print(np.testing.assert_allclose, np.typing.NDArray, np.exceptions.AxisError, np.rec.array)
print(np.isin, np.prod, np.all, np.any, np.round, np.asarray, np.lib.add_newdoc)
print(np.emath.sqrt, np.strings.upper, np.dtypes.Float64DType, np.chararray, np.float128)
print(numpy.mod, numpy.modf, numpy.__version__, float64, linalg, ndarray, np.core)
print(click.command, click.option, click.group, click.echo, click.Context, click.BaseCommand)
print(click.MultiCommand, click.OptionParser, click.get_text_stream, click.__version__, CliRunner)
print(attrs.define, attrs.field, attrs.frozen, attrs.asdict, attrs.astuple, attrs.evolve)
print(attrs.validators.instance_of, attrs.Factory, attrs.fields, attrs.has, attrs.__version__)
print(requests.utils.quote, requests.utils.unquote, requests.utils.requote_uri)
