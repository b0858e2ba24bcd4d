"""A local stand-in for oscars.org, IMDb, TMDb and OMDb serving recorded-format data.

The quickstart runs the real pipeline against it (no keys, no network), tests serve
their fixtures through it, and the benchmark gives it latency.
"""

from cinegraph_dev.sample_upstream.server import SampleUpstream, scripted

__all__ = ["SampleUpstream", "scripted"]
