"""The outlet registry: which outlets warta crawls, how and how often, read from `seeds/*.toml`. The first
stage of the data flow (registry -> crawler -> store -> index -> monitor -> web): it imports none of them."""

from registry.outlets import DEFAULT_REGISTRY, Outlet, RegistryError, load_registry, select, url_problem, valid_schedule

__all__ = ["DEFAULT_REGISTRY", "Outlet", "RegistryError", "load_registry", "select", "url_problem", "valid_schedule"]
