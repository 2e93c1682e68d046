"""The retention app's indicators, registered with the indicator engine (filled in as the pieces land)."""


def register_indicators() -> None:
    return None
