"""Corridor from Python: the multimodal freight network planner's questions.

    >>> import corridor
    >>> net = corridor.Network.load("examples/grain-corridors")
    >>> r = net.route("kyiv", "gdansk", commodity="grain", tonnes=1000)
    >>> r["totals"]["cost"]

Every method asks the question the ``corridor`` command asks, through the
same library functions (``corridor_engine::answer``), and returns the
very JSON the command prints with ``--format json``, parsed into a
:class:`Result` (a ``dict``). Computation runs with the GIL released.
Refused input raises :class:`CorridorError` with the located message
(file, line or record, field) the command prints after ``error:``.

Places are node ids, names, UN/LOCODEs or ``"lat,lon"``; capacities are
tonnes per day; scenarios are scenario files (``.toml``), applied in the
order given, as ``--scenario`` applies them.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from corridor._corridor import CorridorError, Engine, merge_criticality, merge_sweep

__all__ = [
    "CorridorError",
    "Network",
    "Result",
    "merge_criticality",
    "merge_sweep",
]

PathLike = Union[str, "os.PathLike[str]"]
#: A place, or a place with a limit in t/day: ``"kyiv"``,
#: ``("kyiv", 5000.0)`` or ``{"place": "kyiv", "limit": 5000.0}``.
Endpoint = Union[str, Sequence[Any], Dict[str, Any]]

# The lists a result's table is taken from, in order of preference.
_TABLES = ("elements", "rows", "projects", "legs", "flows", "links", "itineraries")


class Result(dict):
    """A result as the CLI's ``--format json`` prints it, as a ``dict``.

    ``to_pandas()`` and ``to_geopandas()`` turn its main table into a
    DataFrame when pandas (and geopandas) are installed.
    """

    def __init__(self, data: Dict[str, Any], network: Optional["Network"] = None):
        super().__init__(data)
        self._network = network

    def _table_key(self, key: Optional[str]) -> str:
        if key is not None:
            if not isinstance(self.get(key), list):
                raise KeyError(f"{key!r} is not a list in this result")
            return key
        for k in _TABLES:
            if isinstance(self.get(k), list):
                return k
        for k, v in self.items():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                return k
        raise ValueError("this result has no table (a list of records)")

    def to_pandas(self, key: Optional[str] = None):
        """The result's main table (``elements`` of a criticality, ``rows``
        of a sweep, ...; or ``key``) as a pandas DataFrame, nested fields
        flattened with dots. Needs pandas."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise ImportError("to_pandas() needs pandas: pip install pandas") from e
        return pd.json_normalize(self[self._table_key(key)])

    def to_geopandas(self, key: Optional[str] = None):
        """The main table as a GeoDataFrame (EPSG:4326), each row with the
        geometry of the element it names by ``kind`` and ``id``. Needs
        pandas, geopandas and shapely."""
        try:
            import geopandas as gpd
            from shapely.geometry import shape
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise ImportError(
                "to_geopandas() needs geopandas and shapely: pip install geopandas"
            ) from e
        if self._network is None:
            raise ValueError("this result does not know its network")
        df = self.to_pandas(key)
        if "kind" not in df.columns or "id" not in df.columns:
            raise ValueError("the table's rows do not name elements by kind and id")
        features = json.loads(self._network._engine.geojson())["features"]
        geometry = {
            (f["properties"]["element"], f["properties"]["id"]): shape(f["geometry"])
            for f in features
            if f.get("geometry")
        }
        geoms = [geometry.get((k, i)) for k, i in zip(df["kind"], df["id"])]
        return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")


def _paths(paths: Iterable[PathLike]) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [os.fspath(p) for p in paths]


def _places(places: Union[str, Sequence[str]]) -> List[str]:
    if isinstance(places, str):
        return [p.strip() for p in places.split(",") if p.strip()]
    return list(places)


def _endpoints(places: Union[Endpoint, Sequence[Endpoint]]) -> List[Any]:
    if isinstance(places, (str, dict)):
        places = _places(places) if isinstance(places, str) else [places]
    out: List[Any] = []
    for p in places:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, dict):
            out.append(dict(p))
        else:
            place, limit = p
            out.append({"place": place, "limit": float(limit)})
    return out


def _demand(demand: Union[PathLike, Sequence[Dict[str, Any]]]) -> tuple:
    """A demand argument as the engine takes it: (file path, None) for a
    file, (None, rows) for inline rows."""
    if isinstance(demand, (str, os.PathLike)):
        return os.fspath(demand), None
    return None, list(demand)


def _query(**fields: Any) -> str:
    """The query's JSON, leaving out what was not given (the library's
    defaults apply, as for a CLI flag not given)."""
    return json.dumps({k: v for k, v in fields.items() if v is not None})


class Network:
    """A network read once, asked many questions.

    Use :meth:`load` or :meth:`from_tntp`; :meth:`with_scenario` gives an
    edited copy.
    """

    def __init__(self, engine: Engine, source: Dict[str, Any]):
        self._engine = engine
        # How to read this network again elsewhere (a Ray worker): the
        # file or folder, TNTP trips, and the scenarios applied since.
        self._source = source

    def __repr__(self) -> str:
        return f"<corridor.Network {self._source['path']!r}>"

    def _result(self, text: str) -> Result:
        return Result(json.loads(text), self)

    @classmethod
    def load(cls, path: PathLike) -> "Network":
        """Reads a ``.toml`` network file, a CSV bundle folder or a TNTP
        ``_net.tntp`` file (format detected, as every ``NETWORK``
        argument)."""
        p = os.fspath(path)
        return cls(Engine.load(p), {"path": p, "trips": None, "scenarios": []})

    @classmethod
    def from_tntp(cls, net: PathLike, trips: Optional[PathLike] = None) -> "Network":
        """Reads a TNTP ``_net.tntp`` file; ``trips`` (a ``_trips.tntp``)
        becomes the demand :meth:`assign` uses when given none."""
        p = os.fspath(net)
        t = None if trips is None else os.fspath(trips)
        return cls(Engine.load(p), {"path": p, "trips": t, "scenarios": []})

    def with_scenario(self, path_or_edits: Union[PathLike, Dict[str, Any]]) -> "Network":
        """This network with a scenario applied: a scenario file, or its
        tables as a dict, e.g. ``{"scenario": {"name": "reopen"}, "edit":
        [{"action": "open", "kind": "terminal", "tag": "black-sea-ports"}]}``.
        The original network is unchanged."""
        if isinstance(path_or_edits, dict):
            text = json.dumps(path_or_edits)
            engine = self._engine.with_scenario_json(text, "<scenario edits>")
            step = {"edits": text}
        else:
            p = os.fspath(path_or_edits)
            engine = self._engine.with_scenario_file(p)
            step = {"file": p}
        source = dict(self._source, scenarios=self._source["scenarios"] + [step])
        return Network(engine, source)

    def info(self) -> Result:
        """What the network holds (``corridor info --format json``)."""
        return self._result(self._engine.info())

    def geojson(self) -> Dict[str, Any]:
        """The network as a GeoJSON FeatureCollection (one feature per
        element, ``element`` and ``id`` in the properties)."""
        return json.loads(self._engine.geojson())

    def route(
        self,
        frm: str,
        to: str,
        commodity: Optional[str] = None,
        tonnes: Optional[float] = None,
        minimize: Optional[str] = None,
        pareto: bool = False,
        via: Sequence[str] = (),
        avoid: Sequence[str] = (),
        scenarios: Sequence[PathLike] = (),
        vessel: Optional[str] = None,
    ) -> Result:
        """The best route (``corridor route --format json``); with
        ``pareto``, every non-dominated (cost, time) itinerary; ``vessel``
        forces a vessel class on the sea lanes (``--vessel``)."""
        q = _query(
            **{"from": frm},
            to=to,
            commodity=commodity,
            tonnes=tonnes,
            minimize=minimize,
            pareto=pareto,
            via=list(via),
            avoid=list(avoid),
            vessel=vessel,
        )
        return self._result(self._engine.route(q, _paths(scenarios)))

    def capacity(
        self,
        frm: Union[Endpoint, Sequence[Endpoint]],
        to: Union[Endpoint, Sequence[Endpoint]],
        commodity: Optional[str] = None,
        minimize: Optional[str] = None,
        scenarios: Sequence[PathLike] = (),
    ) -> Result:
        """Maximum flow in t/day from the origins to the destinations, its
        cheapest cost and bottlenecks (``corridor capacity --format
        json``)."""
        q = _query(
            **{"from": _endpoints(frm)}, to=_endpoints(to), commodity=commodity, minimize=minimize
        )
        return self._result(self._engine.capacity(q, _paths(scenarios)))

    def compare(
        self,
        frm: Union[Endpoint, Sequence[Endpoint]],
        to: Union[Endpoint, Sequence[Endpoint]],
        scenarios: Sequence[PathLike],
        commodity: Optional[str] = None,
        minimize: Optional[str] = None,
        demand: Union[None, PathLike, Sequence[Dict[str, Any]]] = None,
        unserved_penalty: Optional[float] = None,
    ) -> Result:
        """Base against the scenarios applied together (``corridor compare
        --format json``). With ``demand`` (a CSV file or rows, as for
        :meth:`optimise`), also the system optimum of that demand before and
        after, minimising ``minimize`` (``compare --demand``)."""
        if unserved_penalty is not None and demand is None:
            raise CorridorError("compare: unserved_penalty needs demand (as --demand)")
        path = None
        optimise = None
        if isinstance(demand, (str, os.PathLike)):
            path = os.fspath(demand)
        elif demand is not None:
            optimise = {
                "demand": list(demand),
                "minimize": minimize or "cost",
                "unserved_penalty": unserved_penalty,
            }
            optimise = {k: v for k, v in optimise.items() if v is not None}
        q = _query(
            **{"from": _endpoints(frm)},
            to=_endpoints(to),
            commodity=commodity,
            minimize=minimize,
            optimise=optimise,
        )
        if path is None:
            return self._result(self._engine.compare(q, _paths(scenarios)))
        return self._result(
            self._engine.compare(q, _paths(scenarios), path, unserved_penalty)
        )

    def assign(
        self,
        demand: Union[None, PathLike, Sequence[Dict[str, Any]]] = None,
        method: Optional[str] = None,
        gap: Optional[float] = None,
        max_iter: Optional[int] = None,
        threads: Optional[int] = None,
        minimize: Optional[str] = None,
        toll_factor: Optional[float] = None,
        distance_factor: Optional[float] = None,
        scenarios: Sequence[PathLike] = (),
        vessel: Optional[str] = None,
    ) -> Result:
        """User-equilibrium assignment (``corridor assign --format json``).
        ``demand`` is a file (CSV ``origin,destination,commodity,t_per_day``
        or TNTP trips), a list of ``{"origin", "destination", "commodity",
        "amount"}`` dicts, or None for the trips given to
        :meth:`from_tntp`."""
        if demand is None:
            path, inline = self._source["trips"], None
            if path is None:
                raise CorridorError("assign needs demand: a file or a list of rows")
        else:
            path, inline = _demand(demand)
        q = _query(
            demand=inline,
            method=method,
            gap=gap,
            max_iter=max_iter,
            threads=threads,
            minimize=minimize,
            toll_factor=toll_factor,
            distance_factor=distance_factor,
            vessel=vessel,
        )
        return self._result(self._engine.assign(q, path, _paths(scenarios)))

    def optimise(
        self,
        demand: Union[PathLike, Sequence[Dict[str, Any]]],
        minimize: Optional[str] = None,
        unserved_penalty: Optional[float] = None,
        formulation: Optional[str] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        scenarios: Sequence[PathLike] = (),
        bound_steps: Optional[int] = None,
        smoothing: Optional[float] = None,
    ) -> Result:
        """The system optimum (``corridor optimise --format json``): the
        cheapest way to move ``demand`` within hard capacities, what cannot
        move, and the shadow price of each binding capacity. ``demand`` is a
        CSV file ``origin,destination,commodity,t_per_day`` or a list of
        ``{"origin", "destination", "commodity", "amount"}`` dicts (t/day).
        ``formulation`` is ``auto``, ``arc-node`` or ``paths``; ``gap`` (a
        relative gap, e.g. 0.01) and ``time_limit`` (seconds) stop column
        generation early, as ``--gap`` and ``--time-limit``; ``bound_steps``
        runs a Lagrangian ascent beside each master solve for a tighter
        lower bound, as ``--bound-steps``; ``smoothing`` (a weight in
        [0, 1), e.g. 0.5) smooths column generation's prices, as
        ``--smoothing``."""
        path, inline = _demand(demand)
        q = _query(
            demand=inline,
            minimize=minimize,
            unserved_penalty=unserved_penalty,
            formulation=formulation,
            gap=gap,
            time_limit_seconds=time_limit,
            bound_steps=bound_steps,
            smoothing=smoothing,
        )
        return self._result(self._engine.optimise(q, path, _paths(scenarios)))

    def skim(
        self,
        frm: Union[str, Sequence[str]],
        to: Union[str, Sequence[str]],
        commodity: Optional[str] = None,
        minimize: Optional[str] = None,
        engine: Optional[str] = None,
        vessel: Optional[str] = None,
        scenarios: Sequence[PathLike] = (),
    ) -> Result:
        """The origin–destination matrix of route totals for one tonne,
        one row per pair of ``frm`` × ``to`` (``corridor skim --format
        json``); ``engine`` is ``dijkstra``, ``cch`` or ``auto``."""
        q = _query(
            **{"from": _places(frm)},
            to=_places(to),
            commodity=commodity,
            minimize=minimize,
            engine=engine,
            vessel=vessel,
        )
        return self._result(self._engine.skim(q, _paths(scenarios)))

    def criticality(
        self,
        frm: Union[Endpoint, Sequence[Endpoint]],
        to: Union[Endpoint, Sequence[Endpoint]],
        commodity: Optional[str] = None,
        minimize: Optional[str] = None,
        elements: Union[None, str, Sequence[str]] = None,
        scenarios: Sequence[PathLike] = (),
        threads: Optional[int] = None,
        part: Optional[Sequence[int]] = None,
    ) -> Result:
        """Each element (of the kinds in ``elements``: links, terminals,
        borders, nodes) closed in turn, ranked most critical first
        (``corridor criticality --format json``). ``part=(index, of)``
        closes only that part of the elements; :func:`merge_criticality`
        joins the parts' JSON."""
        q = _query(
            **{"from": _endpoints(frm)},
            to=_endpoints(to),
            commodity=commodity,
            minimize=minimize,
            elements=None if elements is None else _places(elements),
            threads=threads,
            part=None if part is None else {"index": part[0], "of": part[1]},
        )
        return self._result(self._engine.criticality(q, _paths(scenarios)))

    def sweep(
        self,
        frm: Union[Endpoint, Sequence[Endpoint]],
        to: Union[Endpoint, Sequence[Endpoint]],
        scenarios: Sequence[PathLike],
        commodities: Union[None, str, Sequence[str]] = None,
        grid: bool = False,
        minimize: Optional[str] = None,
        threads: Optional[int] = None,
        part: Optional[Sequence[int]] = None,
    ) -> Result:
        """Capacity with each scenario (``grid``: every combination) for
        each commodity (``corridor sweep --format json``)."""
        q = _query(
            **{"from": _endpoints(frm)},
            to=_endpoints(to),
            commodities=None if commodities is None else _places(commodities),
            grid=grid,
            minimize=minimize,
            threads=threads,
            part=None if part is None else {"index": part[0], "of": part[1]},
        )
        return self._result(self._engine.sweep(q, _paths(scenarios)))

    def invest(
        self,
        frm: Union[Endpoint, Sequence[Endpoint]],
        to: Union[Endpoint, Sequence[Endpoint]],
        projects: PathLike,
        budget: float,
        commodity: Optional[str] = None,
        minimize: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> Result:
        """What each project of a projects file adds alone, and the best
        set within ``budget`` (``corridor invest --format json``)."""
        q = _query(
            **{"from": _endpoints(frm)},
            to=_endpoints(to),
            commodity=commodity,
            minimize=minimize,
            budget=float(budget),
            threads=threads,
            projects=[],
        )
        return self._result(self._engine.invest(q, os.fspath(projects)))
