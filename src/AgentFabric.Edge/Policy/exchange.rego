package agentfabric.edge.exchange
default allow := false
