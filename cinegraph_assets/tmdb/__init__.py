"""TMDb, the upstream both domains ask: the client resource (client.py) and the checks
and parsing of its answers (records.py). The movie assets fetch films' details and
credits; the award side asks TMDb's find what an untyped IMDb title is."""
