"""The funds' place on the site (`apps.core.sections`); filled as pages come."""


def register(app: str) -> None:
    pass
