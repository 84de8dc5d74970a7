"""The Specify broker: a subgraph that wraps a running Specify 7's REST API, without tables of its own."""
