"""Valid uses of real packages (scripts/real-usage.sh): nothing may be reported here."""
from typing import TYPE_CHECKING

import jinja2
import matplotlib.pyplot as plt
import numpy as np
import six
from jinja2 import Environment, Template
from pydantic import BaseModel, ConfigDict
from six.moves import urllib
from six.moves.urllib.parse import quote

if TYPE_CHECKING:
    from matplotlib.pyplot import ArrayLike


class User(BaseModel):
    name: str
    age: int = 0

    def greet(self) -> str:
        return self.name


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class LooseKw(BaseModel, extra="allow"):
    pass


user = User(name="a")
print(user.model_dump(), user.model_dump_json(), user.name, user.age, user.greet())
print(user.model_copy(), user.model_fields_set, User.model_validate({"name": "x"}))
print(User.model_fields, User.model_json_schema(), Loose(x=1).x, LooseKw(y=2).y)

env = Environment(loader=jinja2.DictLoader({"t": "{{ a }}"}))
print(env.from_string("x").render(a=1), env.get_template("t").render(a=2), Template("x").render())

fig, ax = plt.subplots()
print(plt.figure, plt.plot, plt.show, plt.Figure, plt.np, fig)

arr = np.arange(10)
print(arr.tolist(), arr.sum(), arr.reshape(2, 5), arr.astype(float).mean(), np.zeros(3).mean())
print(np.arange(0.0, 1.0, 0.1).round(2), np.linspace(0, 1, 5).tolist())

print(six.PY3, six.ensure_str("a"), urllib, quote("a b"), six.moves.range(3))


def draw(data: "ArrayLike", figure: plt.Figure) -> None:
    print(data, figure)

# Unpacked declared tuples, callable stub objects, inline stubs, the
# pydantic migration `__getattr__`.
ax.plot([1], [2])
ax.set_title("t")
fig.savefig("/dev/null", format="png")
print(np.ones(3).tolist(), np.zeros(2).sum())
import matplotlib.cm  # noqa: E402

print(matplotlib.cm.viridis, plt.cm.viridis, plt.get_cmap("viridis"))
from pydantic import parse_obj_as, validator  # noqa: E402

print(parse_obj_as, validator)
