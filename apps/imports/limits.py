"""Keeping one bad file from taking the worker down: a cap on the address space while a file is checked or
written, so that an allocation too big fails as a MemoryError in this job instead of killing the process."""

import contextlib
import resource

from django.conf import settings

from apps.core.sheetguard import address_space


@contextlib.contextmanager
def memory_limit(megabytes: int | None = None):
    """Cap the address space at what the process uses now plus `megabytes` (IMPORT_MEMORY_MB) for the block."""
    extra = (settings.IMPORT_MEMORY_MB if megabytes is None else megabytes) * 2**20
    used = address_space()
    if not used or extra <= 0:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + extra
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        yield  # already capped tighter (a forked reader, an outer block)
        return
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
