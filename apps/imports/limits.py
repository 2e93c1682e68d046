"""Keeping one bad file from taking the worker down: a cap on the address space while a file is checked or
written, so that an allocation too big fails as a MemoryError in this job instead of killing the process."""

import contextlib
import os
import resource

from django.conf import settings


def _address_space() -> int:
    """Bytes of address space the process uses now (Linux); 0 when it cannot be told."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@contextlib.contextmanager
def memory_limit(megabytes: int | None = None):
    """Cap the address space at what the process uses now plus `megabytes` (IMPORT_MEMORY_MB) for the block."""
    extra = (settings.IMPORT_MEMORY_MB if megabytes is None else megabytes) * 2**20
    used = _address_space()
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
