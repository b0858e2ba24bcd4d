"""Development tooling beside the code location: the sample upstream, the local
Dagster stack, the quickstart demo. Tests, the demo and the benchmarks import it;
`cinegraph_assets` (the code location a user deploys) never does."""
