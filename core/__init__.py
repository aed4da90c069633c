"""LoanDesk core: domain, storage and services. Pure Python; never imports Qt."""


def __getattr__(name: str) -> str:
    # the version is set once, in pyproject.toml (and stamped into a packaged build)
    if name == "__version__":
        from core.build_info import build_info

        return build_info().version
    raise AttributeError(name)
