#!/usr/bin/env python3
"""Generate the benchmark workspace of issue 2 ("Speed"), deterministically.

Usage: gen_bench_workspace.py OUT_DIR [--files N] [--lines-per-file N] [--seed N]

Writes OUT_DIR/pyproject.toml and the package OUT_DIR/benchapp/ with N Python files
(default 1,000, about 200 lines each): ten sub-packages whose modules define classes,
dataclasses, enums, NamedTuples, pydantic models, flask blueprints, click commands,
requests clients and rich reports, call real stdlib and third-party APIs, and import
each other across packages (only from modules generated earlier, so there is no
import cycle). All generated code is valid, so every finding on it is a false positive.
The same arguments always give byte-identical output.
"""
import argparse
import os
import random
import shutil
import sys

PACKAGES = ["core", "models", "services", "api", "cli", "storage", "reports", "net", "tasks", "utils"]
# Which third-party flavour each package favours (every package mixes all of them).
FLAVOUR = {
    "core": "stdlib", "models": "pydantic", "services": "requests", "api": "flask", "cli": "click",
    "storage": "stdlib", "reports": "rich", "net": "requests", "tasks": "asyncio", "utils": "stdlib",
}
NOUNS = ["order", "invoice", "customer", "report", "ticket", "session", "record", "metric", "event",
         "account", "payment", "shipment", "product", "catalog", "review", "message", "channel",
         "schedule", "job", "task", "batch", "upload", "profile", "token", "policy", "rule",
         "alert", "incident", "device", "sensor", "reading", "budget", "forecast", "ledger",
         "contract", "vendor", "region", "cluster", "node", "snapshot", "backup", "feature",
         "request", "quota", "tenant", "project", "release", "build", "artifact", "widget"]
VERBS = ["load", "parse", "render", "collect", "summarize", "normalize", "validate", "merge",
         "filter", "rank", "export", "index", "score", "split", "group", "resolve", "compact",
         "encode", "decode", "audit", "sync", "refresh", "prepare", "compute", "format", "scan"]
SUFFIXES = ["Manager", "Service", "Store", "Handler", "Builder", "Registry", "Processor",
            "Tracker", "Client", "Repository", "Planner", "Monitor", "Collector", "Resolver"]
STATUS = ["ACTIVE", "PENDING", "FAILED", "ARCHIVED", "DRAFT", "QUEUED", "RUNNING", "DONE"]


def camel(s):
    return "".join(p.capitalize() for p in s.split("_"))


# Statement snippets on `values: list[str]` and `limit: int`. Each: (imports, code lines, result var).
# `{i}` makes local names unique; the result var is put in the returned dict.
SNIPPETS = [
    ({"collections"}, ["counts{i} = collections.Counter(values)",
                       "top{i} = [word for word, _ in counts{i}.most_common(limit)]"], "top{i}"),
    ({"hashlib"}, ["joined{i} = \", \".join(sorted(set(values)))",
                   "digest{i} = hashlib.sha256(joined{i}.encode(\"utf-8\")).hexdigest()"], "digest{i}"),
    ({"re"}, ["pattern{i} = re.compile(r\"^[a-z_]+$\")",
              "matched{i} = [v for v in values if pattern{i}.match(v)]"], "matched{i}"),
    ({"datetime"}, ["stamp{i} = datetime.datetime.now(datetime.timezone.utc)",
                    "later{i} = stamp{i} + datetime.timedelta(days=limit)",
                    "label{i} = later{i}.strftime(\"%Y-%m-%d\")"], "label{i}"),
    ({"io", "csv"}, ["buf{i} = io.StringIO()",
                     "writer{i} = csv.writer(buf{i})",
                     "writer{i}.writerow(values)",
                     "text{i} = buf{i}.getvalue()"], "text{i}"),
    ({"itertools"}, ["chunks{i} = list(itertools.islice(itertools.cycle(values or [\"x\"]), limit))"], "chunks{i}"),
    ({"functools"}, ["total{i} = functools.reduce(lambda acc, v: acc + len(v), values, 0)"], "total{i}"),
    ({"json"}, ["payload{i} = json.dumps({{\"values\": values, \"limit\": limit}}, sort_keys=True)",
                "decoded{i} = json.loads(payload{i})"], "decoded{i}"),
    ({"collections"}, ["groups{i}: dict[str, list[str]] = collections.defaultdict(list)",
                       "for item{i} in values:",
                       "    groups{i}[item{i}[:1]].append(item{i})"], "groups{i}"),
    ({"textwrap"}, ["short{i} = textwrap.shorten(\" \".join(values), width=max(limit, 20))"], "short{i}"),
    ({"uuid"}, ["ident{i} = uuid.uuid4().hex[:8]"], "ident{i}"),
    ({"os", "pathlib"}, ["path{i} = pathlib.Path(os.environ.get(\"BENCH_HOME\", \".\")) / \"data\" / f\"{{limit}}.json\"",
                         "exists{i} = path{i}.exists() and path{i}.is_file()",
                         "stem{i} = path{i}.with_suffix(\".bak\").stem if exists{i} else path{i}.stem"], "stem{i}"),
    ({"time"}, ["started{i} = time.monotonic()",
                "elapsed{i} = round(time.monotonic() - started{i}, 3)"], "elapsed{i}"),
    ({"statistics", "math"}, ["lengths{i} = [len(v) for v in values] or [0]",
                              "mean{i} = statistics.mean(lengths{i})",
                              "spread{i} = math.sqrt(sum((x - mean{i}) ** 2 for x in lengths{i}))"], "spread{i}"),
    ({"random"}, ["rng{i} = random.Random(limit)",
                  "pick{i} = rng{i}.choice(values) if values else \"\""], "pick{i}"),
    (set(), ["upper{i} = [v.upper().strip() for v in values if v.startswith((\"a\", \"b\")) or v.endswith(\"z\")]"], "upper{i}"),
    ({"contextlib"}, ["lookup{i} = dict.fromkeys(values, 0)",
                      "with contextlib.suppress(KeyError):",
                      "    lookup{i}.pop(\"missing\")"], "lookup{i}"),
    ({"collections"}, ["merged{i} = dict(collections.ChainMap({{\"a\": 1}}, {{\"b\": limit}}))"], "merged{i}"),
    ({"base64"}, ["encoded{i} = base64.b64encode(\" \".join(values).encode()).decode(\"ascii\")"], "encoded{i}"),
    ({"collections"}, ["window{i} = collections.deque(values, maxlen=max(limit, 1))",
                       "window{i}.appendleft(\"start\")",
                       "window{i}.rotate(1)"], "window{i}"),
    ({"itertools"}, ["sums{i} = list(itertools.accumulate(len(v) for v in values))"], "sums{i}"),
    (set(), ["words{i} = [w for v in values for w in v.split(\"_\")]"], "words{i}"),
    (set(), ["frozen{i} = frozenset(values)",
             "common{i} = sorted(frozen{i}.intersection({{\"alpha\", \"beta\"}}))"], "common{i}"),
    ({"os", "tempfile"}, ["tmpdir{i} = tempfile.gettempdir()",
                          "target{i} = os.path.join(tmpdir{i}, \"bench\", str(limit))",
                          "base{i} = os.path.basename(os.path.dirname(target{i}))"], "base{i}"),
    ({"string"}, ["fmt{i} = string.Template(\"$name=$value\").safe_substitute(name=\"limit\", value=limit)"], "fmt{i}"),
    ({"zlib"}, ["crc{i} = zlib.crc32(\" \".join(values).encode(\"utf-8\"))"], "crc{i}"),
    ({"heapq"}, ["heap{i} = list(values)",
                 "heapq.heapify(heap{i})",
                 "smallest{i} = heapq.nsmallest(3, heap{i})"], "smallest{i}"),
    ({"bisect"}, ["position{i} = bisect.bisect_left(sorted(values), \"m\")"], "position{i}"),
    ({"copy"}, ["snapshot{i} = copy.deepcopy({{\"values\": values}})"], "snapshot{i}"),
    ({"urllib.parse"}, ["parsed{i} = urllib.parse.urlparse(f\"https://example.com/{{limit}}?q=1\")",
                        "query{i} = urllib.parse.parse_qs(parsed{i}.query)"], "query{i}"),
    ({"operator"}, ["pairs{i} = sorted(((v, len(v)) for v in values), key=operator.itemgetter(1))"], "pairs{i}"),
    ({"shlex"}, ["quoted{i} = \" \".join(shlex.quote(v) for v in values)"], "quoted{i}"),
    ({"decimal"}, ["amount{i} = decimal.Decimal(limit).quantize(decimal.Decimal(\"0.01\"))"], "amount{i}"),
    ({"fnmatch"}, ["globbed{i} = fnmatch.filter(values, \"*_*\")"], "globbed{i}"),
    ({"difflib"}, ["close{i} = difflib.get_close_matches(\"order\", values, n=3)"], "close{i}"),
]
LOGGED = ["logger.debug(\"processing %d values\", len(values))",
          "logger.info(\"%s: limit=%s\", __name__, limit)"]


class Module:
    def __init__(self, pkg, index, name):
        self.pkg = pkg
        self.index = index
        self.name = name
        self.dotted = f"benchapp.{pkg}.{name}"
        self.functions = []   # exported util functions: (values, limit=10) -> dict
        self.classes = []     # (name, [methods]) ctor (name: str, limit: int = 10)
        self.records = []     # dataclass names: ctor (name=..., count=0)
        self.enums = []
        self.imports = set()  # stdlib module names
        self.from_imports = {}  # module -> set(names)
        self.lines = []


class Gen:
    def __init__(self, seed, n_files, lines_per_file):
        self.rng = random.Random(seed)
        self.n_files = n_files
        self.lines_per_file = lines_per_file
        self.modules = []
        self.used_names = set()

    def unique(self, base):
        name = base
        n = 2
        while name in self.used_names:
            name = f"{base}_{n}"
            n += 1
        self.used_names.add(name)
        return name

    # ---- planning ---------------------------------------------------------------------
    def plan(self):
        # one top __init__, one __init__ per package, the rest modules
        n_modules = self.n_files - 1 - len(PACKAGES)
        per = [n_modules // len(PACKAGES)] * len(PACKAGES)
        for k in range(n_modules - sum(per)):
            per[k] += 1
        # interleave packages so cross-package imports go both ways
        order = []
        counters = dict.fromkeys(PACKAGES, 0)
        remaining = dict(zip(PACKAGES, per))
        while any(remaining.values()):
            for pkg in PACKAGES:
                if remaining[pkg]:
                    remaining[pkg] -= 1
                    counters[pkg] += 1
                    noun = self.rng.choice(NOUNS)
                    order.append(Module(pkg, len(order), f"m{counters[pkg]:03d}_{noun}"))
        self.modules = order

    # ---- helpers ------------------------------------------------------------------------
    def body(self, m, indent, n_snippets, self_limit=False):
        """Statement lines on `values`/`limit` returning a dict."""
        pad = " " * indent
        out = []
        if self_limit:
            out.append(f"{pad}limit = self.limit")
        results = []
        for j, idx in enumerate(self.rng.sample(range(len(SNIPPETS)), n_snippets)):
            imports, code, res = SNIPPETS[idx]
            m.imports |= imports
            for line in code:
                out.append(pad + line.format(i=j))
            results.append(res.format(i=j))
        if self.rng.random() < 0.4:
            m.imports.add("logging")
            out.append(pad + self.rng.choice(LOGGED))
        items = ", ".join(f"\"{r.rstrip('0123456789')}\": {r}" for r in results)
        out.append(f"{pad}return {{\"count\": len(values), \"limit\": limit, {items}}}")
        return out

    def import_from(self, m, module, name):
        m.from_imports.setdefault(module, set()).add(name)

    def pick_dep(self, m, kind):
        """An earlier module (if any) that exports something of `kind`.

        The first five modules of each package are re-exported by the package's
        __init__.py; they import no workspace module, so there is no import cycle."""
        if m.index < len(PACKAGES) * 5:
            return None
        cands = [d for d in self.modules[max(0, m.index - 200):m.index] if getattr(d, kind)]
        if not cands:
            return None
        return self.rng.choice(cands)

    # ---- blocks -------------------------------------------------------------------------
    def block_function(self, m):
        name = self.unique(f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}s")
        m.functions.append(name)
        lines = [f"def {name}(values: list[str], limit: int = 10) -> dict[str, object]:",
                 f"    \"\"\"{camel(name).replace('_', ' ')} for the given values.\"\"\""]
        lines += self.body(m, 4, self.rng.randint(2, 5))
        return lines

    def block_class(self, m):
        noun = self.rng.choice(NOUNS)
        cname = self.unique(f"{camel(noun)}{self.rng.choice(SUFFIXES)}")
        base = None
        if self.rng.random() < 0.35:
            base = self.pick_dep(m, "classes")
        methods = [self.unique(f"{self.rng.choice(VERBS)}_{noun}") for _ in range(self.rng.randint(2, 4))]
        lines = []
        if base is not None:
            bname, bmethods = self.rng.choice(base.classes)
            self.import_from(m, base.dotted, bname)
            lines.append(f"class {cname}({bname}):")
        else:
            bname, bmethods = None, []
            lines.append(f"class {cname}:")
        m.imports.add("logging")
        lines += [f"    \"\"\"Keeps {noun} values and derives summaries from them.\"\"\"",
                  "",
                  f"    kind = \"{noun}\"",
                  "",
                  "    def __init__(self, name: str, limit: int = 10) -> None:"]
        if base is not None:
            lines.append("        super().__init__(name, limit)")
        lines += ["        self.name = name",
                  "        self.limit = limit",
                  "        self.items: list[str] = []",
                  "        self._cache: dict[str, object] = {}",
                  "        self.log = logging.getLogger(f\"{__name__}.{name}\")",
                  "",
                  "    def __repr__(self) -> str:",
                  "        return f\"{type(self).__name__}({self.name!r}, items={len(self.items)})\"",
                  "",
                  "    @property",
                  "    def size(self) -> int:",
                  "        return len(self.items)",
                  "",
                  f"    def add(self, value: str) -> {cname}:",
                  "        self.items.append(value.strip())",
                  "        self._cache.clear()",
                  "        return self"]
        for meth in methods:
            lines += ["", f"    def {meth}(self, values: list[str]) -> dict[str, object]:"]
            lines.append("        self.log.debug(\"%s on %d values\", self.kind, len(values))")
            lines += self.body(m, 8, self.rng.randint(2, 4), self_limit=True)
        if bmethods:
            inherited = self.rng.choice(bmethods)
            lines += ["",
                      "    def combined(self, values: list[str] | None = None) -> list[object]:",
                      f"        first = self.{inherited}(values or self.items)",
                      "        second = self.add(self.name).size",
                      "        return [first, second, self.name.upper(), self.kind]"]
        lines += ["",
                  "    @classmethod",
                  f"    def from_values(cls, name: str, values: list[str]) -> {cname}:",
                  "        inst = cls(name)",
                  "        for value in values:",
                  "            inst.add(value)",
                  "        return inst"]
        m.classes.append((cname, methods + (["combined"] if bmethods else [])))
        return lines

    def block_dataclass(self, m):
        noun = self.rng.choice(NOUNS)
        cname = self.unique(f"{camel(noun)}Record")
        m.imports |= {"dataclasses", "datetime"}
        m.records.append(cname)
        return [
            "@dataclasses.dataclass",
            f"class {cname}:",
            "    name: str",
            "    count: int = 0",
            "    tags: list[str] = dataclasses.field(default_factory=list)",
            "    created: datetime.datetime = dataclasses.field(",
            "        default_factory=lambda: datetime.datetime.now(datetime.timezone.utc)",
            "    )",
            "",
            "    def to_dict(self) -> dict[str, object]:",
            "        data = dataclasses.asdict(self)",
            "        data[\"created\"] = self.created.isoformat()",
            "        return data",
            "",
            f"    def with_tag(self, tag: str) -> {cname}:",
            "        return dataclasses.replace(self, tags=[*self.tags, tag], count=self.count + 1)",
            "",
            "    @property",
            "    def age_days(self) -> int:",
            "        delta = datetime.datetime.now(datetime.timezone.utc) - self.created",
            "        return delta.days",
        ]

    def block_enum(self, m):
        noun = self.rng.choice(NOUNS)
        cname = self.unique(f"{camel(noun)}Status")
        m.imports.add("enum")
        m.enums.append(cname)
        members = self.rng.sample(STATUS, self.rng.randint(3, 5))
        lines = [f"class {cname}(enum.Enum):"]
        lines += [f"    {s} = \"{s.lower()}\"" for s in members]
        lines += ["",
                  "    @classmethod",
                  f"    def parse(cls, raw: str) -> {cname}:",
                  "        return cls(raw.strip().lower())",
                  "",
                  "    @property",
                  "    def label(self) -> str:",
                  "        return self.name.title()",
                  "",
                  "",
                  f"def describe_{self.unique(noun + '_status')}(status: {cname}) -> str:",
                  f"    if status is {cname}.{members[0]}:",
                  "        return status.label",
                  "    return f\"{status.name}:{status.value}\""]
        return lines

    def block_namedtuple(self, m):
        noun = self.rng.choice(NOUNS)
        cname = self.unique(f"{camel(noun)}Point")
        m.imports |= {"typing", "math"}
        fn = self.unique(f"distance_{noun}")
        return [f"class {cname}(typing.NamedTuple):",
                "    x: float",
                "    y: float",
                "    label: str = \"\"",
                "",
                "    def norm(self) -> float:",
                "        return math.hypot(self.x, self.y)",
                "",
                "",
                f"def {fn}(a: {cname}, b: {cname}) -> float:",
                "    moved = a._replace(x=a.x - b.x, y=a.y - b.y)",
                "    fields = moved._asdict()",
                "    return moved.norm() + len(fields) * 0.0"]

    def block_pydantic(self, m):
        noun = self.rng.choice(NOUNS)
        cname = self.unique(f"{camel(noun)}Model")
        self.import_from(m, "pydantic", "BaseModel")
        self.import_from(m, "pydantic", "Field")
        self.import_from(m, "pydantic", "ValidationError")
        self.import_from(m, "pydantic", "field_validator")
        fn = self.unique(f"parse_{noun}_model")
        return [f"class {cname}(BaseModel):",
                "    name: str",
                "    quantity: int = Field(default=0, ge=0)",
                "    tags: list[str] = Field(default_factory=list)",
                "    note: str | None = None",
                "",
                "    @field_validator(\"name\")",
                "    @classmethod",
                "    def check_name(cls, value: str) -> str:",
                "        if not value.strip():",
                "            raise ValueError(\"name must not be empty\")",
                "        return value.strip()",
                "",
                "",
                f"def {fn}(raw: dict[str, object]) -> dict[str, object] | None:",
                "    try:",
                f"        model = {cname}.model_validate(raw)",
                "    except ValidationError as exc:",
                "        return {\"errors\": exc.errors(), \"count\": exc.error_count()}",
                "    updated = model.model_copy(update={\"quantity\": model.quantity + 1})",
                "    data = updated.model_dump()",
                "    data[\"json\"] = updated.model_dump_json(exclude_none=True)",
                f"    data[\"schema_keys\"] = sorted({cname}.model_json_schema())",
                "    return data"]

    def block_requests(self, m):
        noun = self.rng.choice(NOUNS)
        cname = self.unique(f"{camel(noun)}ApiClient")
        m.imports.add("requests")
        self.import_from(m, "requests.adapters", "HTTPAdapter")
        return [f"class {cname}:",
                f"    \"\"\"HTTP client for the {noun} API.\"\"\"",
                "",
                "    def __init__(self, base_url: str, timeout: float = 5.0) -> None:",
                "        self.base_url = base_url.rstrip(\"/\")",
                "        self.timeout = timeout",
                "        self.session = requests.Session()",
                "        self.session.headers.update({\"User-Agent\": \"benchapp/1.0\", \"Accept\": \"application/json\"})",
                "        self.session.mount(\"https://\", HTTPAdapter(max_retries=3))",
                "",
                f"    def fetch_{noun}(self, ident: str, params: dict[str, str] | None = None) -> dict[str, object]:",
                f"        response = self.session.get(f\"{{self.base_url}}/{noun}s/{{ident}}\", params=params, timeout=self.timeout)",
                "        response.raise_for_status()",
                "        content_type = response.headers.get(\"Content-Type\", \"\")",
                "        if \"json\" not in content_type:",
                "            return {\"status\": response.status_code, \"text\": response.text[:100]}",
                "        return response.json()",
                "",
                f"    def create_{noun}(self, payload: dict[str, str]) -> int:",
                "        try:",
                f"            response = self.session.post(f\"{{self.base_url}}/{noun}s\", json=payload, timeout=self.timeout)",
                "            response.raise_for_status()",
                "        except requests.exceptions.HTTPError as exc:",
                "            return exc.response.status_code if exc.response is not None else 0",
                "        except requests.RequestException:",
                "            return -1",
                "        return response.status_code",
                "",
                "    def close(self) -> None:",
                "        self.session.close()",
                "",
                "",
                f"def ping_{self.unique(noun + '_service')}(url: str) -> bool:",
                "    response = requests.head(url, timeout=2, allow_redirects=True)",
                "    return response.ok and response.elapsed.total_seconds() < 1.0"]

    def block_click(self, m):
        noun = self.rng.choice(NOUNS)
        group = self.unique(f"{noun}_cli")
        m.imports.add("click")
        return [f"@click.group()",
                "@click.option(\"--verbose\", is_flag=True, help=\"Print more output.\")",
                "@click.pass_context",
                f"def {group}(ctx: click.Context, verbose: bool) -> None:",
                f"    \"\"\"Commands for {noun}s.\"\"\"",
                "    ctx.ensure_object(dict)",
                "    ctx.obj[\"verbose\"] = verbose",
                "",
                "",
                f"@{group}.command(\"show\")",
                "@click.argument(\"name\")",
                "@click.option(\"--count\", default=1, type=int, show_default=True)",
                "@click.option(\"--color\", type=click.Choice([\"red\", \"green\", \"blue\"]), default=\"green\")",
                "@click.pass_context",
                f"def {group}_show(ctx: click.Context, name: str, count: int, color: str) -> None:",
                "    if count < 0:",
                "        raise click.BadParameter(\"count must be positive\", param_hint=\"--count\")",
                "    for _ in range(count):",
                "        click.echo(click.style(name, fg=color, bold=ctx.obj[\"verbose\"]))",
                "    click.secho(f\"shown {count} times\", dim=True)",
                "",
                "",
                f"@{group}.command(\"export\")",
                "@click.argument(\"path\", type=click.Path(dir_okay=False, writable=True))",
                "def " + group + "_export(path: str) -> None:",
                "    if not click.confirm(f\"Write {path}?\", default=True):",
                "        raise click.Abort()",
                "    with click.open_file(path, \"w\") as handle:",
                f"        handle.write(\"{noun}\\n\")",
                "    click.echo(f\"wrote {click.format_filename(path)}\")"]

    def block_rich(self, m):
        noun = self.rng.choice(NOUNS)
        fn = self.unique(f"print_{noun}_table")
        self.import_from(m, "rich.console", "Console")
        self.import_from(m, "rich.table", "Table")
        self.import_from(m, "rich.panel", "Panel")
        self.import_from(m, "rich.text", "Text")
        return [f"def {fn}(rows: list[tuple[str, int]], console: Console | None = None) -> str:",
                "    console = console or Console(record=True, width=100)",
                f"    table = Table(title=\"{camel(noun)}s\", show_lines=False)",
                "    table.add_column(\"Name\", style=\"cyan\", no_wrap=True)",
                "    table.add_column(\"Count\", justify=\"right\", style=\"magenta\")",
                "    for name, count in rows:",
                "        table.add_row(name, str(count))",
                "    console.print(table)",
                "    title = Text(\"summary\", style=\"bold\")",
                "    title.append(f\" ({len(rows)} rows)\", style=\"dim\")",
                "    console.print(Panel(title, expand=False))",
                "    console.rule(\"done\")",
                "    return console.export_text()"]

    def block_flask(self, m):
        noun = self.rng.choice(NOUNS)
        bp = self.unique(f"{noun}_bp")
        for n in ["Blueprint", "Flask", "jsonify", "request", "abort", "current_app"]:
            self.import_from(m, "flask", n)
        return [f"{bp} = Blueprint(\"{bp}\", __name__, url_prefix=\"/{noun}s\")",
                "",
                "",
                f"@{bp}.route(\"/\", methods=[\"GET\"])",
                f"def list_{bp}():",
                "    limit = request.args.get(\"limit\", default=10, type=int)",
                "    if limit is None or limit < 0:",
                "        abort(400)",
                f"    current_app.logger.info(\"listing %s {noun}s\", limit)",
                f"    return jsonify(items=[], limit=limit, kind=\"{noun}\")",
                "",
                "",
                f"@{bp}.route(\"/\", methods=[\"POST\"])",
                f"def create_{bp}():",
                "    payload = request.get_json(silent=True) or {}",
                "    if \"name\" not in payload:",
                "        abort(422)",
                "    return jsonify(created=payload[\"name\"]), 201",
                "",
                "",
                f"def create_{bp}_app() -> Flask:",
                "    app = Flask(__name__)",
                "    app.config.from_mapping(SECRET_KEY=\"dev\", TESTING=True)",
                f"    app.register_blueprint({bp})",
                "    return app"]

    def block_async(self, m):
        noun = self.rng.choice(NOUNS)
        fn = self.unique(f"gather_{noun}s")
        m.imports.add("asyncio")
        return [f"async def {fn}(values: list[str], delay: float = 0.0) -> list[str]:",
                "    async def one(value: str) -> str:",
                "        await asyncio.sleep(delay)",
                "        return value.upper()",
                "",
                "    results = await asyncio.gather(*(one(v) for v in values))",
                "    return list(results)",
                "",
                "",
                f"def run_{fn}(values: list[str]) -> list[str]:",
                f"    return asyncio.run(asyncio.wait_for({fn}(values), timeout=5))"]

    def block_stdlib_io(self, m):
        noun = self.rng.choice(NOUNS)
        fn = self.unique(f"store_{noun}s")
        m.imports |= {"json", "pathlib", "tempfile", "shutil", "subprocess", "sys"}
        return [f"def {fn}(values: list[str], root: pathlib.Path | None = None) -> list[str]:",
                "    root = root or pathlib.Path(tempfile.mkdtemp(prefix=\"bench\"))",
                f"    target = root / \"{noun}s\" / \"data.json\"",
                "    target.parent.mkdir(parents=True, exist_ok=True)",
                "    target.write_text(json.dumps(values, indent=2), encoding=\"utf-8\")",
                "    loaded = json.loads(target.read_text(encoding=\"utf-8\"))",
                "    backup = target.with_name(target.stem + \".bak\")",
                "    shutil.copyfile(target, backup)",
                "    names = sorted(p.name for p in target.parent.iterdir() if p.suffix in {\".json\", \".bak\"})",
                "    proc = subprocess.run([sys.executable, \"-c\", \"print(1)\"], capture_output=True, text=True, check=False)",
                "    if proc.returncode != 0:",
                "        names.append(proc.stderr.strip())",
                "    shutil.rmtree(root, ignore_errors=True)",
                "    return names + [str(len(loaded))]"]

    def block_uses(self, m):
        """Calls into earlier workspace modules (classes, functions, records, enums)."""
        name = self.unique(f"{self.rng.choice(VERBS)}_with_{self.rng.choice(NOUNS)}")
        lines = [f"def {name}(values: list[str]) -> list[object]:",
                 "    results: list[object] = []"]
        used = 0
        dep = self.pick_dep(m, "classes")
        if dep:
            cname, methods = self.rng.choice(dep.classes)
            style = self.rng.random()
            if style < 0.5:
                self.import_from(m, dep.dotted, cname)
                ref = cname
            else:
                alias = f"{dep.pkg}_{dep.name}"
                m.imports.add(f"{dep.dotted} as {alias}")
                ref = f"{alias}.{cname}"
            lines += [f"    helper = {ref}(\"{name}\", limit=5)",
                      f"    results.append(helper.{self.rng.choice(methods)}(values))",
                      "    results.append(helper.add(\"extra\").size)",
                      f"    results.append({ref}.from_values(\"copy\", values).name)"]
            used += 1
        dep = self.pick_dep(m, "functions")
        if dep:
            fname = self.rng.choice(dep.functions)
            if dep.pkg == m.pkg and self.rng.random() < 0.5:
                self.import_from(m, f".{dep.name}", fname)
            else:
                self.import_from(m, dep.dotted, fname)
            lines.append(f"    results.append({fname}(values, limit=3))")
            used += 1
        dep = self.pick_dep(m, "records")
        if dep:
            rname = self.rng.choice(dep.records)
            self.import_from(m, dep.dotted, rname)
            lines += [f"    record = {rname}(name=\"{name}\", count=len(values))",
                      "    record.tags.extend(values[:2])",
                      "    results.append(record.with_tag(\"seen\").to_dict())",
                      "    results.append(record.created.year + record.age_days)"]
            used += 1
        dep = self.pick_dep(m, "enums")
        if dep:
            ename = self.rng.choice(dep.enums)
            self.import_from(m, dep.dotted, ename)
            lines += [f"    results.append([member.value for member in {ename}])",
                      f"    results.append(len({ename}.__members__))"]
            used += 1
        if not used:
            lines.append("    results.extend(sorted(values))")
        lines.append("    return results")
        return lines

    BLOCKS = {
        "stdlib": ["function", "function", "class", "dataclass", "stdlib_io", "uses", "namedtuple", "enum"],
        "pydantic": ["pydantic", "pydantic", "dataclass", "enum", "function", "class", "uses"],
        "requests": ["requests", "requests", "function", "class", "uses", "dataclass"],
        "flask": ["flask", "flask", "function", "class", "uses", "pydantic"],
        "click": ["click", "click", "function", "class", "uses", "rich"],
        "rich": ["rich", "rich", "function", "class", "uses", "enum"],
        "asyncio": ["async", "async", "function", "class", "uses", "stdlib_io"],
    }
    ALL_BLOCKS = ["function", "class", "dataclass", "enum", "namedtuple", "pydantic", "requests",
                  "click", "rich", "flask", "async", "stdlib_io", "uses"]

    # ---- emission -----------------------------------------------------------------------
    def gen_module(self, m):
        target = self.rng.randint(int(self.lines_per_file * 0.7), int(self.lines_per_file * 1.3))
        blocks = []
        count = 0
        favoured = self.BLOCKS[FLAVOUR[m.pkg]]
        # always at least one class and one function so later modules have things to use
        for kind in ["class", "function"]:
            b = getattr(self, f"block_{kind}")(m)
            blocks.append(b)
            count += len(b) + 2
        while count < target - 15:
            kind = self.rng.choice(favoured if self.rng.random() < 0.6 else self.ALL_BLOCKS)
            b = getattr(self, f"block_{kind}")(m)
            blocks.append(b)
            count += len(b) + 2
        header = [f"\"\"\"{camel(m.name.split('_', 1)[1])} helpers for benchapp.{m.pkg} (generated).\"\"\"",
                  "",
                  "from __future__ import annotations",
                  ""]
        imports = sorted(i for i in m.imports if not i.startswith("benchapp") and i not in ("requests", "click"))
        third = sorted(i for i in m.imports if i in ("requests", "click"))
        local = sorted(i for i in m.imports if i.startswith("benchapp"))
        header += [f"import {i}" for i in imports]
        if third:
            header += [""] + [f"import {i}" for i in third]
        tp = sorted(k for k in m.from_imports if not k.startswith((".", "benchapp")))
        if tp:
            if not third:
                header.append("")
            for k in tp:
                header.append(f"from {k} import {', '.join(sorted(m.from_imports[k]))}")
        ours = sorted(k for k in m.from_imports if k.startswith((".", "benchapp")))
        if ours or local:
            header.append("")
            header += [f"import {i}" for i in local]
            for k in ours:
                header.append(f"from {k} import {', '.join(sorted(m.from_imports[k]))}")
        if "logging" in m.imports:
            header += ["", "logger = logging.getLogger(__name__)"]
        out = header
        for b in blocks:
            out += ["", ""] + b
        return "\n".join(out) + "\n"

    def generate(self, out):
        self.plan()
        texts = {}
        for m in self.modules:
            texts[m] = self.gen_module(m)
        pkg_root = os.path.join(out, "benchapp")
        if os.path.isdir(pkg_root):
            shutil.rmtree(pkg_root)
        os.makedirs(pkg_root)
        total_lines = 0
        files = 0

        def write(path, text):
            nonlocal total_lines, files
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            total_lines += text.count("\n")
            files += 1

        write(os.path.join(pkg_root, "__init__.py"),
              "\"\"\"Generated benchmark application.\"\"\"\n\n__version__ = \"1.0.0\"\n")
        for pkg in PACKAGES:
            os.makedirs(os.path.join(pkg_root, pkg))
            mods = [m for m in self.modules if m.pkg == pkg]
            reexp = [m for m in mods[:5] if m.classes]
            lines = [f"\"\"\"The {pkg} package.\"\"\"", ""]
            names = []
            for m in reexp:
                cname = m.classes[0][0]
                fname = m.functions[0] if m.functions else None
                items = [cname] + ([fname] if fname else [])
                lines.append(f"from .{m.name} import {', '.join(items)}")
                names += items
            lines += ["", "__all__ = ["] + [f"    \"{n}\"," for n in names] + ["]"]
            write(os.path.join(pkg_root, pkg, "__init__.py"), "\n".join(lines) + "\n")
        for m in self.modules:
            write(os.path.join(pkg_root, m.pkg, m.name + ".py"), texts[m])
        with open(os.path.join(out, "pyproject.toml"), "w", encoding="utf-8") as f:
            f.write("[project]\nname = \"benchapp\"\nversion = \"1.0.0\"\nrequires-python = \">=3.10\"\n"
                    "dependencies = [\"requests\", \"click\", \"flask\", \"rich\", \"pydantic\"]\n")
        return files, total_lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--lines-per-file", type=int, default=175)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()
    if args.files < len(PACKAGES) * 3:
        sys.exit(f"--files must be at least {len(PACKAGES) * 3}")
    os.makedirs(args.out, exist_ok=True)
    files, lines = Gen(args.seed, args.files, args.lines_per_file).generate(args.out)
    print(f"generated {files} files, {lines} lines in {args.out}")


if __name__ == "__main__":
    main()
