"""The documented OpenAPI schema names each schema once: two classes with one name in
different routers made one overwrite the other in ``components`` (``EntryOut``, ``CountyOut``)."""

from __future__ import annotations

import importlib
import inspect
from collections import defaultdict

from django.apps import apps
from pydantic import BaseModel

from tuopin.api import api


def api_models() -> dict[str, set[type[BaseModel]]]:
    """Every pydantic model defined in an app's ``api`` module, by class name."""
    by_name: dict[str, set[type[BaseModel]]] = defaultdict(set)
    for config in apps.get_app_configs():
        if not config.name.startswith("tuopin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                by_name[cls.__name__].add(cls)
    return by_name


def test_schema_class_names_are_unique_across_routers() -> None:
    clashes = {
        name: sorted(c.__module__ for c in cs) for name, cs in api_models().items() if len(cs) > 1
    }
    assert clashes == {}


def test_each_documented_component_has_its_classs_fields() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    checked = 0
    for name, classes in api_models().items():
        if name not in components:
            continue
        (cls,) = classes
        assert set(components[name].get("properties", {})) == set(cls.model_fields), name
        checked += 1
    assert checked >= 20  # the check really looked at the API's schemas


def test_the_village_cover_is_documented_as_paged() -> None:
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/insurance/villages/{code}/cover"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert set(params) == {"q", "uncovered", "limit", "offset"}
    assert (params["limit"]["default"], params["limit"]["maximum"]) == (100, 500)
    assert (params["limit"]["minimum"], params["offset"]["minimum"]) == (1, 0)
    page = schema["components"]["schemas"]["VillageCoverOut"]["properties"]
    assert {"count", "limit", "offset", "next", "people"} <= set(page)
